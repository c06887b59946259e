#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/replies.h"
#include "safeharbor/reply.h"

#define ID "0123456789abcdef0123456789abcdef"
/* 2026-11-29T08:15:42Z */
#define NOW ((time_t)1795940142)

static struct keys_signing *staff;
static struct age_identity *idn;
static struct reply *rep, *back;
static unsigned char *buf;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	staff = keys_signing_new();
	idn = sodium_malloc(sizeof *idn);
	rep = reply_new();
	back = reply_new();
	buf = sodium_malloc(SH_REPLY_SIZE);
	cr_assert(staff && idn && rep && back && buf);
	age_identity_generate(idn);
	keys_staff_derive(idn, staff);
	cr_assert_eq(reply_set_in_reply_to(rep, ID), SH_OK);
	cr_assert_eq(reply_set_text(rep, "Hi. Come to room 12 on Tuesday.\nMs. R", 37), SH_OK);
}

static void
teardown(void)
{
	keys_signing_free(staff);
	sodium_free(idn);
	reply_free(rep);
	reply_free(back);
	sodium_free(buf);
}

TestSuite(reply, .init = setup, .fini = teardown);

Test(reply, round_trip_to_the_hour)
{
	const char *why;
	char tok[KEYS_STAFF_STRLEN + 1];

	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	cr_assert(memcmp(buf, "SAFEHARBOR-REPLY 1\nIn-Reply-To: " ID "\nCreated: 2026-11-29T08:00Z\nStaff: shstaff1", 94) == 0,
	          "%.94s", buf);
	cr_assert_eq(reply_parse(buf, SH_REPLY_SIZE, back, &why), SH_OK, "%s", why);
	cr_assert_str_eq(back->in_reply_to, ID);
	cr_assert_str_eq(back->created, "2026-11-29T08:00Z");
	cr_assert_eq(back->text_len, 37);
	cr_assert_str_eq(back->text, "Hi. Come to room 12 on Tuesday.\nMs. R");
	keys_staff_format(staff->pk, tok);
	cr_assert_str_eq(back->staff, tok);
	cr_assert_eq(reply_created_time(back), NOW - NOW % 3600);
}

Test(reply, text_limits)
{
	char *big = malloc(SH_REPLY_TEXT_MAX_CHARS + 1);

	cr_assert_eq(reply_set_text(rep, "", 0), SH_ERR_FORMAT);
	cr_assert_eq(reply_set_text(rep, "a\x1b[2Jb", 6), SH_ERR_FORMAT);
	cr_assert_eq(reply_set_text(rep, "a\xff", 2), SH_ERR_FORMAT);
	memset(big, 'a', SH_REPLY_TEXT_MAX_CHARS + 1);
	cr_assert_eq(reply_set_text(rep, big, SH_REPLY_TEXT_MAX_CHARS + 1), SH_ERR_TOO_LARGE);
	cr_assert_eq(reply_set_text(rep, big, SH_REPLY_TEXT_MAX_CHARS), SH_OK);
	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	cr_assert_eq(reply_parse(buf, SH_REPLY_SIZE, back, NULL), SH_OK);
	cr_assert_eq(reply_set_in_reply_to(rep, "0123"), SH_ERR_FORMAT);
	cr_assert_eq(reply_set_in_reply_to(rep, "0123456789ABCDEF0123456789abcdef"), SH_ERR_FORMAT);
	free(big);
}

/* Replace the first occurrence of from by to (same length) and re-sign. */
static void
mangle(const char *from, const char *to, int resign)
{
	unsigned char *p = memmem(buf, SH_REPLY_SIZE, from, strlen(from));
	unsigned char sig[crypto_sign_BYTES];
	char b64[89];
	unsigned char *s;

	cr_assert_not_null(p, "%s", from);
	cr_assert_eq(strlen(from), strlen(to));
	memcpy(p, to, strlen(to));
	if (!resign)
		return;
	s = memmem(buf, SH_REPLY_SIZE, "Signature: ", 11);
	crypto_sign_detached(sig, NULL, buf, (size_t)(s - buf), staff->sk);
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
	memcpy(s + 11, b64, 88);
}

static enum sh_status
parse_mangled(const char *from, const char *to, int resign)
{
	const char *why;

	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	mangle(from, to, resign);
	return reply_parse(buf, SH_REPLY_SIZE, back, &why);
}

Test(reply, rejection_classes)
{
	const char *why;

	cr_assert_eq(parse_mangled("REPLY 1", "REPLY 2", 1), SH_ERR_VERSION);
	cr_assert_eq(parse_mangled("SAFEHARBOR-REPLY", "SAFEHARBOR-RECOR", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("In-Reply-To", "In-Reply-to", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled(ID, "0123456789ABCDEF0123456789abcdef", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("T08:00Z", "T08:15Z", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("11-29T", "13-29T", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("Staff: shstaff1", "Staff: shkiosk1", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("Text-Length: 37", "Text-Length: 36", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("Text-Length: 37", "Text-Length: 99", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("Text-Length: 37\n", "Text-Length: 037", 1), SH_ERR_FORMAT);
	cr_assert_eq(parse_mangled("room 12", "room\x1b[H", 1), SH_ERR_FORMAT);
	/* the text changed after signing: the structure holds, the signature not */
	cr_assert_eq(parse_mangled("room 12", "room 13", 0), SH_ERR_SIGNATURE);
	cr_assert_str_eq(back->text, "Hi. Come to room 13 on Tuesday.\nMs. R");

	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	cr_assert_eq(reply_parse(buf, SH_REPLY_SIZE - 1, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "reply is truncated");
	cr_assert(sodium_is_zero((unsigned char *)back, sizeof *back));
	cr_assert_eq(reply_parse(buf, SH_REPLY_SIZE + 1, back, &why), SH_ERR_TOO_LARGE);
	buf[SH_REPLY_SIZE - 1] = 'x';
	cr_assert_eq(reply_parse(buf, SH_REPLY_SIZE, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "padding is not all NUL bytes");
	cr_assert_eq(reply_parse(buf, 5, back, &why), SH_ERR_FORMAT);
}

Test(reply, staff_keys)
{
	struct keys_signing *again = keys_signing_new();
	struct age_identity *other = sodium_malloc(sizeof *other);
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], list[4][crypto_sign_PUBLICKEYBYTES];
	char tok[KEYS_STAFF_STRLEN + 1], kiosk[KEYS_KIOSK_STRLEN + 1], text[400];
	size_t n, el;

	keys_staff_derive(idn, again);
	cr_assert(memcmp(again->pk, staff->pk, sizeof pk) == 0, "derivation is stable");
	age_identity_generate(other);
	keys_staff_derive(other, again);
	cr_assert(memcmp(again->pk, staff->pk, sizeof pk) != 0);
	keys_staff_format(staff->pk, tok);
	cr_assert_eq(strncmp(tok, "shstaff1", 8), 0);
	cr_assert_eq(keys_staff_parse(tok, strlen(tok), pk), SH_OK);
	cr_assert(memcmp(pk, staff->pk, sizeof pk) == 0);
	keys_kiosk_format(staff->pk, kiosk);
	cr_assert_eq(keys_staff_parse(kiosk, strlen(kiosk), pk), SH_ERR_FORMAT);
	cr_assert_eq(keys_kiosk_parse(tok, strlen(tok), pk), SH_ERR_FORMAT);

	snprintf(text, sizeof text, "# staff\n\n%s\r\n", tok);
	cr_assert_eq(keys_parse_staff(text, strlen(text), list, 4, &n, &el), SH_OK);
	cr_assert_eq(n, 1);
	snprintf(text, sizeof text, "%s\n%s\n", tok, kiosk);
	cr_assert_eq(keys_parse_staff(text, strlen(text), list, 4, &n, &el), SH_ERR_FORMAT);
	cr_assert_eq(el, 2);
	cr_assert_eq(keys_parse_staff("# nothing\n", 10, list, 4, &n, &el), SH_ERR_NOT_FOUND);
	keys_signing_free(again);
	sodium_free(other);
}

static char dir[64];

static void
mkfolder(void)
{
	strcpy(dir, "/tmp/sh-replies-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
rmfolder(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(reply, folder_store_and_find)
{
	struct age_recipient rk;
	struct age_identity *wrong = sodium_malloc(sizeof *wrong);
	unsigned char trusted[1][crypto_sign_PUBLICKEYBYTES];
	struct replies_trust t = { (const unsigned char (*)[32])trusted, 1, NOW, 30 };
	char n0[REPLIES_NAME_LEN + 1], n1[REPLIES_NAME_LEN + 1], path[200];
	struct stat sb;
	unsigned slot, refused;

	mkfolder();
	memcpy(trusted[0], staff->pk, sizeof trusted[0]);
	age_identity_recipient(idn, &rk);
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	cr_assert_eq(replies_store(dir, &rk, buf, &slot), SH_OK);
	cr_assert_eq(slot, 0);
	cr_assert_eq(reply_set_text(rep, "Second answer", 13), SH_OK);
	cr_assert_eq(reply_serialize(rep, staff, NOW + 7200, buf), SH_OK);
	cr_assert_eq(replies_store(dir, &rk, buf, &slot), SH_OK);
	cr_assert_eq(slot, 1);
	cr_assert_eq(replies_count(dir, &rk), 2);

	/* names: unrelated, hex; sizes: all the same */
	replies_name(&rk, 0, n0);
	replies_name(&rk, 1, n1);
	cr_assert_eq(strlen(n0), REPLIES_NAME_LEN);
	cr_assert_neq(memcmp(n0, n1, 8), 0);
	snprintf(path, sizeof path, "%s/%s", dir, n1);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq((size_t)sb.st_size, replies_file_size());

	/* newest first */
	t.now = NOW + 7200;
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_OK);
	cr_assert_str_eq(back->text, "Second answer");
	cr_assert_eq(refused, 0);

	/* a wrong key finds nothing and refuses nothing */
	age_identity_generate(wrong);
	cr_assert_eq(replies_find(dir, wrong, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 0);
	cr_assert(sodium_is_zero((unsigned char *)back, sizeof *back));

	/* a signer not trusted: nothing shown, both refused */
	t.nstaff = 0;
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 2);
	t.nstaff = 1;

	/* expired after 30 days */
	t.now = NOW + 31 * 86400;
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 0);
	t.now = NOW + 7200;

	/* a missing folder is no answer */
	cr_assert_eq(replies_find("/nonexistent/replies", idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	sodium_free(wrong);
	rmfolder();
}

static void
flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, &c, 1, at), 1);
	c ^= 1;
	cr_assert_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

Test(reply, folder_refuses_tampered_truncated_and_links)
{
	struct age_recipient rk;
	unsigned char trusted[1][crypto_sign_PUBLICKEYBYTES];
	struct replies_trust t = { (const unsigned char (*)[32])trusted, 1, NOW, 30 };
	char n0[REPLIES_NAME_LEN + 1], path[200], other[200];
	unsigned refused;

	mkfolder();
	memcpy(trusted[0], staff->pk, sizeof trusted[0]);
	age_identity_recipient(idn, &rk);
	cr_assert_eq(reply_serialize(rep, staff, NOW, buf), SH_OK);
	cr_assert_eq(replies_store(dir, &rk, buf, NULL), SH_OK);
	replies_name(&rk, 0, n0);
	snprintf(path, sizeof path, "%s/%s", dir, n0);

	flip_byte(path, (off_t)replies_file_size() - 100);
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 1);
	flip_byte(path, (off_t)replies_file_size() - 100);
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_OK);

	cr_assert_eq(truncate(path, (off_t)replies_file_size() - 1), 0);
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 1);

	/* a link planted under the name is not followed */
	snprintf(other, sizeof other, "%s/elsewhere", dir);
	cr_assert_eq(rename(path, other), 0);
	cr_assert_eq(symlink(other, path), 0);
	cr_assert_eq(replies_find(dir, idn, &t, back, &refused), SH_ERR_NOT_FOUND);
	cr_assert_eq(refused, 1);
	rmfolder();
}
