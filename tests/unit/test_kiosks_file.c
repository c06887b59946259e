#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "../../src/tool/kiosks.h"

static char key1[KEYS_KIOSK_STRLEN + 1], key2[KEYS_KIOSK_STRLEN + 1];
static unsigned char pk1[crypto_sign_PUBLICKEYBYTES], pk2[crypto_sign_PUBLICKEYBYTES];

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	randombytes_buf(pk1, sizeof(pk1));
	randombytes_buf(pk2, sizeof(pk2));
	keys_kiosk_format(pk1, key1);
	keys_kiosk_format(pk2, key2);
}

TestSuite(kiosks_file, .init = setup);

static enum sh_status
parse(const char *text, struct kiosks *k, size_t *line, const char **why)
{
	kiosks_init(k);
	return kiosks_parse(text, strlen(text), k, line, why);
}

Test(kiosks_file, parses_comments_blanks_crlf)
{
	struct kiosks k;
	char text[512];
	size_t line;
	const char *why;

	snprintf(text, sizeof(text), "# enrolled\n\n  library-1 %s\r\n\tgym_2\t%s  \n# end", key1, key2);
	cr_assert_eq(parse(text, &k, &line, &why), SH_OK);
	cr_assert_eq(k.n, 2);
	cr_assert_str_eq(k.v[0].name, "library-1");
	cr_assert_str_eq(k.v[1].name, "gym_2");
	cr_assert(memcmp(k.v[1].pk, pk2, sizeof(pk2)) == 0);
	cr_assert_eq(kiosks_find_pk(&k, pk1), &k.v[0]);
	cr_assert_eq(kiosks_find_pk(&k, pk2), &k.v[1]);
	kiosks_free(&k);
}

Test(kiosks_file, empty_file_is_empty_list)
{
	struct kiosks k;
	size_t line;
	const char *why;

	cr_assert_eq(parse("", &k, &line, &why), SH_OK);
	cr_assert_eq(k.n, 0);
	cr_assert_null(kiosks_find_pk(&k, pk1));
}

Test(kiosks_file, bad_lines_name_the_line)
{
	struct kiosks k;
	char text[512];
	size_t line;
	const char *why;

	snprintf(text, sizeof(text), "ok %s\nlonely\n", key1);
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_eq(line, 2);
	cr_assert_not_null(why);
	kiosks_free(&k);

	snprintf(text, sizeof(text), "bad/name %s\n", key1);
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_eq(line, 1);
	kiosks_free(&k);

	snprintf(text, sizeof(text), "a %s extra\n", key1);
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	kiosks_free(&k);

	/* one character changed: checksum fails */
	snprintf(text, sizeof(text), "a %s\n", key1);
	text[10] = text[10] == 'q' ? 'p' : 'q';
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	kiosks_free(&k);

	cr_assert_eq(parse("a age1zzzz\n", &k, &line, &why), SH_ERR_FORMAT);
	kiosks_free(&k);

	cr_assert_eq(kiosks_parse("a\0b c\n", 6, &k, &line, &why), SH_ERR_FORMAT);
	kiosks_free(&k);
}

Test(kiosks_file, duplicates_refused)
{
	struct kiosks k;
	char text[512];
	size_t line;
	const char *why;

	snprintf(text, sizeof(text), "a %s\na %s\n", key1, key2);
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_eq(line, 2);
	kiosks_free(&k);
	snprintf(text, sizeof(text), "a %s\nb %s\n", key1, key1);
	cr_assert_eq(parse(text, &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_eq(line, 2);
	kiosks_free(&k);
}

Test(kiosks_file, names)
{
	cr_assert(kiosks_name_valid("library-1"));
	cr_assert(kiosks_name_valid("A.b_c-9"));
	cr_assert(!kiosks_name_valid(""));
	cr_assert(!kiosks_name_valid("has space"));
	cr_assert(!kiosks_name_valid("\xc3\xa9"));
	cr_assert(kiosks_name_valid("12345678901234567890123456789012"));
	cr_assert(!kiosks_name_valid("123456789012345678901234567890123"));
}

Test(kiosks_file, add_remove_save_load)
{
	char dir[] = "/tmp/sh-kiosks-XXXXXX", path[256];
	struct kiosks k, k2;
	struct stat sb;
	size_t line;
	const char *why;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/kiosks", dir);
	kiosks_init(&k);
	cr_assert_eq(kiosks_add(&k, "one", key1, &why), SH_OK);
	cr_assert_eq(kiosks_add(&k, "one", key2, &why), SH_ERR_EXISTS);
	cr_assert_eq(kiosks_add(&k, "two", key1, &why), SH_ERR_EXISTS);
	cr_assert_eq(kiosks_add(&k, "two", "shkiosk1nope", &why), SH_ERR_FORMAT);
	cr_assert_eq(kiosks_add(&k, "two", key2, &why), SH_OK);
	cr_assert_eq(kiosks_save(path, &k), SH_OK);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	kiosks_init(&k2);
	cr_assert_eq(kiosks_load(path, &k2, &line, &why), SH_OK);
	cr_assert_eq(k2.n, 2);
	cr_assert_str_eq(k2.v[1].key, key2);
	cr_assert_eq(kiosks_remove(&k2, "one"), SH_OK);
	cr_assert_eq(kiosks_remove(&k2, "one"), SH_ERR_NOT_FOUND);
	cr_assert_eq(k2.n, 1);
	cr_assert_str_eq(k2.v[0].name, "two");
	kiosks_free(&k2);
	/* writable by others: refused */
	cr_assert_eq(chmod(path, 0622), 0);
	kiosks_init(&k2);
	cr_assert_eq(kiosks_load(path, &k2, &line, &why), SH_ERR_PERM);
	/* missing: empty */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(kiosks_load(path, &k2, &line, &why), SH_OK);
	cr_assert_eq(k2.n, 0);
	kiosks_free(&k);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	cr_assert_eq(system(path), 0);
}
