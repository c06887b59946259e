#include <criterion/criterion.h>
#include <string.h>

#include "../../src/tool/idprefix.h"

static const char *const sorted[] = {
	"0a00000000000000000000000000000a",
	"3fa9c2d1000000000000000000000001",
	"3fa9c2d1000000000000000000000002",
	"3fa9c2d2000000000000000000000000",
	"ffffffffffffffffffffffffffffffff",
};
#define N (sizeof(sorted) / sizeof(sorted[0]))

Test(idprefix, unique_len_at_least_min)
{
	cr_assert_eq(idprefix_unique_len(sorted, N, 0, IDPREFIX_MIN), 8);
	cr_assert_eq(idprefix_unique_len(sorted, N, 4, IDPREFIX_MIN), 8);
}

Test(idprefix, unique_len_grows_with_shared_prefix)
{
	/* 1 and 2 share 31 digits: need all 32 */
	cr_assert_eq(idprefix_unique_len(sorted, N, 1, IDPREFIX_MIN), 32);
	cr_assert_eq(idprefix_unique_len(sorted, N, 2, IDPREFIX_MIN), 32);
	/* 3 shares 7 digits with 2: 8 is enough */
	cr_assert_eq(idprefix_unique_len(sorted, N, 3, IDPREFIX_MIN), 8);
	cr_assert_eq(idprefix_unique_len(sorted, N, 3, 2), 8);
	cr_assert_eq(idprefix_unique_len(sorted, N, 0, 1), 1);
}

Test(idprefix, unique_len_single_and_out_of_range)
{
	cr_assert_eq(idprefix_unique_len(sorted, 1, 0, IDPREFIX_MIN), 8);
	cr_assert_eq(idprefix_unique_len(sorted, N, N, IDPREFIX_MIN), 0);
}

Test(idprefix, find_unique)
{
	size_t found = 99, n = 0;

	cr_assert_eq(idprefix_find(sorted, N, "0", &found, NULL, 0, &n), IDPREFIX_FOUND);
	cr_assert_eq(found, 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(idprefix_find(sorted, N, "3FA9C2D2", &found, NULL, 0, &n), IDPREFIX_FOUND,
	             "case-insensitive");
	cr_assert_eq(found, 3);
	cr_assert_eq(idprefix_find(sorted, N, sorted[2], &found, NULL, 0, &n), IDPREFIX_FOUND);
	cr_assert_eq(found, 2);
}

Test(idprefix, find_ambiguous_lists_candidates)
{
	size_t found, cand[4] = { 0 }, n = 0;

	cr_assert_eq(idprefix_find(sorted, N, "3fa9", &found, cand, 4, &n), IDPREFIX_AMBIGUOUS);
	cr_assert_eq(n, 3);
	cr_assert_eq(cand[0], 1);
	cr_assert_eq(cand[1], 2);
	cr_assert_eq(cand[2], 3);
	/* more matches than room: count stays right */
	cr_assert_eq(idprefix_find(sorted, N, "3fa9c2d1", &found, cand, 1, &n), IDPREFIX_AMBIGUOUS);
	cr_assert_eq(n, 2);
	cr_assert_eq(cand[0], 1);
}

Test(idprefix, find_unknown_and_invalid)
{
	size_t found, n = 7;

	cr_assert_eq(idprefix_find(sorted, N, "1234", &found, NULL, 0, &n), IDPREFIX_UNKNOWN);
	cr_assert_eq(n, 0);
	cr_assert_eq(idprefix_find(sorted, N, "", &found, NULL, 0, &n), IDPREFIX_INVALID);
	cr_assert_eq(idprefix_find(sorted, N, "3fa9-", &found, NULL, 0, &n), IDPREFIX_INVALID);
	cr_assert_eq(idprefix_find(sorted, N, "xyz", &found, NULL, 0, &n), IDPREFIX_INVALID);
	cr_assert_eq(idprefix_find(sorted, N, "ffffffffffffffffffffffffffffffff0", &found, NULL, 0, &n),
	             IDPREFIX_INVALID, "longer than an id");
	cr_assert_eq(idprefix_find(sorted, 0, "3f", &found, NULL, 0, &n), IDPREFIX_UNKNOWN);
}
