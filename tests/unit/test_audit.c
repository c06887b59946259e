#include <criterion/criterion.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/audit.h"

static struct audit_entry e;
static unsigned char pt[AUDIT_ENTRY_SIZE];

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	memset(&e, 0, sizeof(e));
	e.seq = 42;
	e.time = 1796400000;   /* 2026-12-04T16:00:00Z */
	strcpy(e.by, "age1mjwlzyr7gnv8pwulz8ttlsc7e3t6xlptl5s960wvtzjr7fypmypqxn7tlq");
	strcpy(e.user, "ana.lopez");
	strcpy(e.action, "handled");
	strcpy(e.id, "3d9d0ed6b7e1bdc7758cfd9573fdab5a");
	memset(e.nonce, 0xab, sizeof(e.nonce));
	memset(e.prev, 0x11, sizeof(e.prev));
}

TestSuite(audit, .init = setup);

Test(audit, round_trip)
{
	struct audit_entry got;
	const char *why = NULL;

	cr_assert_eq(audit_format(&e, pt), 0);
	cr_assert(strstr((char *)pt, "Time: 2026-12-04T16:00:00Z\n") != NULL, "%s", pt);
	cr_assert(strstr((char *)pt, "Detail: -\n") != NULL);
	cr_assert_eq(audit_parse(pt, sizeof(pt), &got, &why), 0, "%s", why);
	cr_assert_eq(memcmp(&got, &e, sizeof(e)), 0);
}

Test(audit, optional_fields)
{
	struct audit_entry got;
	const char *why = NULL;

	e.user[0] = '\0';
	e.id[0] = '\0';
	strcpy(e.action, "purge");
	strcpy(e.detail, "12 requests handled before 2026-07-01");
	cr_assert_eq(audit_format(&e, pt), 0);
	cr_assert_eq(audit_parse(pt, sizeof(pt), &got, &why), 0, "%s", why);
	cr_assert_str_eq(got.detail, e.detail);
	cr_assert_str_empty(got.id);
	cr_assert_str_empty(got.user);
}

Test(audit, format_refuses_bad_fields)
{
	strcpy(e.action, "delete");
	cr_assert_eq(audit_format(&e, pt), -1);
	setup();
	strcpy(e.detail, "a\nb");
	cr_assert_eq(audit_format(&e, pt), -1);
	setup();
	strcpy(e.id, "3D9D0ED6B7E1BDC7758CFD9573FDAB5A");
	cr_assert_eq(audit_format(&e, pt), -1);
	setup();
	strcpy(e.user, "a b");
	cr_assert_eq(audit_format(&e, pt), -1);
	setup();
	strcpy(e.by, "age1notakey");
	cr_assert_eq(audit_format(&e, pt), -1);
}

/* Change text in a good entry and expect a refusal naming the field. */
static void
refuse(const char *from, const char *to, const char *want)
{
	struct audit_entry got;
	unsigned char buf[AUDIT_ENTRY_SIZE * 2];
	char *at;
	const char *why = NULL;
	size_t n;

	setup();
	cr_assert_eq(audit_format(&e, pt), 0);
	memcpy(buf, pt, sizeof(pt));
	at = strstr((char *)buf, from);
	cr_assert(at != NULL, "%s", from);
	n = strlen((char *)buf);
	memmove(at + strlen(to), at + strlen(from), n - (size_t)(at - (char *)buf) - strlen(from) + 1);
	memcpy(at, to, strlen(to));
	cr_assert_eq(audit_parse(buf, AUDIT_ENTRY_SIZE, &got, &why), -1, "%s -> %s", from, to);
	cr_assert(why != NULL && strstr(why, want) != NULL, "%s: %s", to, why ? why : "");
}

Test(audit, parse_rejects)
{
	refuse("SAFEHARBOR-AUDIT 1", "SAFEHARBOR-AUDIT 2", "version 1");
	refuse("Seq: 42", "Seq: 042", "Seq");
	refuse("Seq: 42", "Seq: -1", "Seq");
	refuse("Seq: 42", "Seq: 99999999999999999999", "Seq");
	refuse("T16:00:00Z", "T24:00:00Z", "Time");
	refuse("2026-12-04T", "2026-02-30T", "Time");
	refuse("By: age1m", "By: age1n", "By");
	refuse("User: ana.lopez", "User: ana\x1b[2J", "User");
	refuse("Action: handled", "Action: erased", "unknown Action");
	refuse("Id: 3d9d", "Id: 3D9D", "Id");
	refuse("Detail: -", "Detail: \x07", "Detail");
	refuse("Detail: -", "Detail:  x", "Detail");
	refuse("Nonce: ab", "Nonce: zz", "Nonce");
	refuse("Prev: 11", "Prev: 1", "Prev");
	refuse("Prev: ", "Prv: ", "Prev");
}

Test(audit, padding_and_size)
{
	struct audit_entry got;
	const char *why = NULL;

	cr_assert_eq(audit_format(&e, pt), 0);
	cr_assert_eq(audit_parse(pt, sizeof(pt) - 1, &got, &why), -1);
	pt[AUDIT_ENTRY_SIZE - 1] = 'x';
	cr_assert_eq(audit_parse(pt, sizeof(pt), &got, &why), -1);
	cr_assert(strstr(why, "padding") != NULL, "%s", why);
}

Test(audit, hash_covers_every_byte)
{
	unsigned char h1[AUDIT_HASH_LEN], h2[AUDIT_HASH_LEN];

	cr_assert_eq(audit_format(&e, pt), 0);
	audit_hash(pt, h1);
	pt[AUDIT_ENTRY_SIZE - 1] ^= 1;
	audit_hash(pt, h2);
	cr_assert_neq(memcmp(h1, h2, sizeof(h1)), 0);
}
