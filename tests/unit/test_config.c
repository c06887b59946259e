#include <criterion/criterion.h>
#include <locale.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/config.h"

struct report {
	int severity;
	char file[256];
	int line;
	char key[64];
	char msg[256];
};

struct reports {
	struct report r[32];
	int n, errors, warnings;
};

static void
collect(void *ctx, int severity, const char *file, int line, const char *key,
        const char *msg)
{
	struct reports *rs = ctx;

	if (severity)
		rs->errors++;
	else
		rs->warnings++;
	if (rs->n >= 32)
		return;
	rs->r[rs->n].severity = severity;
	snprintf(rs->r[rs->n].file, sizeof(rs->r[0].file), "%s", file);
	rs->r[rs->n].line = line;
	snprintf(rs->r[rs->n].key, sizeof(rs->r[0].key), "%s", key);
	snprintf(rs->r[rs->n].msg, sizeof(rs->r[0].msg), "%s", msg);
	rs->n++;
}

static enum sh_status
parse(const char *text, struct kiosk_config *c, struct reports *rs)
{
	memset(rs, 0, sizeof(*rs));
	config_defaults(c);
	return config_parse(text, strlen(text), "kiosk.conf", "/etc/sh", c, collect, rs);
}

static void
assert_one(const struct reports *rs, int severity, int line, const char *key)
{
	cr_assert_eq(rs->n, 1, "expected one report, got %d (first: %d %s %s)", rs->n,
	             rs->n ? rs->r[0].line : 0, rs->n ? rs->r[0].key : "",
	             rs->n ? rs->r[0].msg : "");
	cr_assert_eq(rs->r[0].severity, severity, "severity of %s", rs->r[0].msg);
	cr_assert_str_eq(rs->r[0].file, "kiosk.conf");
	cr_assert_eq(rs->r[0].line, line, "line %d, want %d (%s)", rs->r[0].line, line,
	             rs->r[0].msg);
	cr_assert_str_eq(rs->r[0].key, key);
	cr_assert_gt(strlen(rs->r[0].msg), 0);
}

Test(config, defaults)
{
	struct kiosk_config c;

	config_defaults(&c);
	cr_assert_str_eq(c.spool, "/var/spool/safeharbor");
	cr_assert_str_eq(c.recipients, "/etc/safeharbor/recipients.txt");
	cr_assert_str_eq(c.signing_key, "/etc/safeharbor/kiosk.key");
	cr_assert(strstr(c.screens, "/screens") != NULL);
	cr_assert_eq(c.nlanguages, 2);
	cr_assert_str_eq(c.languages[0], "en");
	cr_assert_str_eq(c.languages[1], "es");
	cr_assert_eq(c.idle_seconds, 90);
	cr_assert_eq(c.sent_seconds, 30);
	cr_assert_str_eq(c.follow_up, "2 school days");
	cr_assert_str_eq(c.admin_pin_hash, "");
}

static const char good[] =
	"; safeharbor kiosk\n"
	"[kiosk]\n"
	"spool = /var/spool/safeharbor        ; Maildir spool\n"
	"recipients = recipients.txt\n"
	"signing_key = keys/kiosk.key\n"
	"screens = /usr/share/safeharbor/screens\n"
	"languages = en es pt-BR\n"
	"idle_seconds = 120\n"
	"sent_seconds = 45\n"
	"follow_up = within 2 school days\n"
	"admin_pin_hash = $argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo\n";

Test(config, good_file)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse(good, &c, &rs), SH_OK);
	cr_assert_eq(rs.n, 0);
	cr_assert_str_eq(c.spool, "/var/spool/safeharbor");
	cr_assert_str_eq(c.recipients, "/etc/sh/recipients.txt");
	cr_assert_str_eq(c.signing_key, "/etc/sh/keys/kiosk.key");
	cr_assert_str_eq(c.screens, "/usr/share/safeharbor/screens");
	cr_assert_eq(c.nlanguages, 3);
	cr_assert_str_eq(c.languages[2], "pt-BR");
	cr_assert_eq(c.idle_seconds, 120);
	cr_assert_eq(c.sent_seconds, 45);
	cr_assert_str_eq(c.follow_up, "within 2 school days");
	cr_assert_str_eq(c.admin_pin_hash,
	                 "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo");
}

Test(config, crlf_and_utf8_follow_up)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\r\nfollow_up = en 2 días escolares\r\nidle_seconds=10\r\n",
	                   &c, &rs), SH_OK);
	cr_assert_eq(rs.n, 0);
	cr_assert_str_eq(c.follow_up, "en 2 días escolares");
	cr_assert_eq(c.idle_seconds, 10);
}

Test(config, unknown_key_is_a_warning_with_line)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\n\nidle_secnds = 30\n", &c, &rs), SH_OK);
	assert_one(&rs, 0, 3, "idle_secnds");
	cr_assert_eq(c.idle_seconds, 90, "unchanged");
}

Test(config, unknown_section_is_a_warning)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nidle_seconds = 30\n# c\n[display]\nidle_seconds = 40\n",
	                   &c, &rs), SH_OK);
	assert_one(&rs, 0, 4, "[display]");
	cr_assert_eq(c.idle_seconds, 30, "keys of unknown sections are ignored");
}

Test(config, key_outside_section_is_a_warning)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("spool = /x\n[kiosk]\n", &c, &rs), SH_OK);
	assert_one(&rs, 0, 1, "spool");
	cr_assert_str_eq(c.spool, "/var/spool/safeharbor");
}

Test(config, bad_idle_seconds)
{
	static const char *const bad[] = {
		"abc", "9", "3601", "-5", "+30", "030", "30s", "", "99999999999999",
	};
	struct kiosk_config c;
	struct reports rs;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[kiosk]\nspool=/s\nidle_seconds = %s\n", bad[i]);
		cr_assert_eq(parse(text, &c, &rs), SH_ERR_FORMAT, "accepted %s", bad[i]);
		assert_one(&rs, 1, 3, "idle_seconds");
		cr_assert_eq(c.idle_seconds, 90);
	}
	cr_assert_eq(parse("[kiosk]\nidle_seconds = 3600\n", &c, &rs), SH_OK);
	cr_assert_eq(c.idle_seconds, 3600);
}

Test(config, bad_sent_seconds)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nsent_seconds = 0\n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "sent_seconds");
	/* issue 13: Sent must stay long enough to read (WCAG 2.2.1) */
	cr_assert_eq(parse("[kiosk]\n\nsent_seconds = 29\n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 3, "sent_seconds");
	cr_assert_eq(parse("[kiosk]\nsent_seconds = 30\n", &c, &rs), SH_OK);
	cr_assert_eq(c.sent_seconds, 30);
}

Test(config, empty_path)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\n\n\nspool =\n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 4, "spool");
	cr_assert_eq(parse("[kiosk]\nrecipients = \n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "recipients");
}

Test(config, languages)
{
	static const char *const bad[] = {
		"", "EN", "e", "english", "en_US", "en-", "en-a", "en-abcdefghi",
		"en es fr de it pt nl sv pl", "en en", "pt-BR-x", "é",
	};
	struct kiosk_config c;
	struct reports rs;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[kiosk]\nlanguages = %s\n", bad[i]);
		cr_assert_eq(parse(text, &c, &rs), SH_ERR_FORMAT, "accepted '%s'", bad[i]);
		assert_one(&rs, 1, 2, "languages");
		cr_assert_eq(c.nlanguages, 2, "unchanged on error");
	}
	cr_assert_eq(parse("[kiosk]\nlanguages = ar, zh-Hant\tes\n", &c, &rs), SH_OK);
	cr_assert_eq(c.nlanguages, 3);
	cr_assert_str_eq(c.languages[0], "ar");
	cr_assert_str_eq(c.languages[1], "zh-Hant");
	cr_assert_str_eq(c.languages[2], "es");
	cr_assert_eq(parse("[kiosk]\nlanguages = en es fr de it pt nl sv\n", &c, &rs), SH_OK);
	cr_assert_eq(c.nlanguages, CONFIG_MAX_LANGUAGES);
}

Test(config, admin_pin_hash)
{
	struct kiosk_config c;
	struct reports rs;
	char text[512];

	cr_assert_eq(parse("[kiosk]\nadmin_pin_hash = 1234\n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "admin_pin_hash");
	cr_assert_str_eq(c.admin_pin_hash, "");
	cr_assert_eq(parse("[kiosk]\nadmin_pin_hash = $argon2i$v=19$m=1,t=1,p=1$a$b\n", &c, &rs),
	             SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "admin_pin_hash");
	snprintf(text, sizeof(text), "[kiosk]\nadmin_pin_hash = $argon2id$%0150d\n", 0);
	cr_assert_eq(parse(text, &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "admin_pin_hash");
}

Test(config, real_pin_hash_round_trip)
{
	struct kiosk_config c;
	struct reports rs;
	char hash[crypto_pwhash_STRBYTES], text[512];

	cr_assert(sodium_init() >= 0);
	cr_assert_eq(crypto_pwhash_str_alg(hash, "1234", 4, crypto_pwhash_OPSLIMIT_MIN,
	                                   crypto_pwhash_MEMLIMIT_MIN,
	                                   crypto_pwhash_ALG_ARGON2ID13), 0);
	snprintf(text, sizeof(text), "[kiosk]\nadmin_pin_hash = %s\n", hash);
	cr_assert_eq(parse(text, &c, &rs), SH_OK);
	cr_assert_str_eq(c.admin_pin_hash, hash);
	cr_assert_eq(crypto_pwhash_str_verify(c.admin_pin_hash, "1234", 4), 0);
}

Test(config, duplicate_key_is_an_error)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nspool = /a\nspool = /b\n", &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 3, "spool");
}

Test(config, syntax_error_names_the_line)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nidle_seconds = 20\nthis is not ini\n", &c, &rs),
	             SH_ERR_FORMAT);
	assert_one(&rs, 1, 3, "");
	cr_assert_eq(c.idle_seconds, 20);
}

Test(config, long_line_is_an_error_not_truncated)
{
	struct kiosk_config c;
	struct reports rs;
	char text[1024];

	snprintf(text, sizeof(text), "[kiosk]\nspool = /%0400d\n", 0);
	cr_assert_eq(parse(text, &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "");
	cr_assert_str_eq(c.spool, "/var/spool/safeharbor");
}

Test(config, nul_byte_is_an_error)
{
	static const char text[] = "[kiosk]\nspool = /a\0b\n";
	struct kiosk_config c;
	struct reports rs;

	memset(&rs, 0, sizeof(rs));
	config_defaults(&c);
	cr_assert_eq(config_parse(text, sizeof(text) - 1, "kiosk.conf", NULL, &c, collect, &rs),
	             SH_ERR_FORMAT);
	assert_one(&rs, 1, 2, "");
}

Test(config, many_errors_are_all_reported)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nidle_seconds = x\nfoo = 1\nlanguages = EN\nspool=\n",
	                   &c, &rs), SH_ERR_FORMAT);
	cr_assert_eq(rs.n, 4);
	cr_assert_eq(rs.errors, 3);
	cr_assert_eq(rs.warnings, 1);
	cr_assert_eq(rs.r[0].line, 2);
	cr_assert_eq(rs.r[1].line, 3);
	cr_assert_eq(rs.r[2].line, 4);
	cr_assert_eq(rs.r[3].line, 5);
}

Test(config, no_report_callback)
{
	static const char text[] = "[kiosk]\nidle_seconds = 5\n";
	struct kiosk_config c;

	config_defaults(&c);
	cr_assert_eq(config_parse(text, strlen(text), NULL, NULL, &c, NULL, NULL), SH_ERR_FORMAT);
	cr_assert_eq(c.idle_seconds, 90);
}

Test(config, load_missing_file)
{
	struct kiosk_config c;

	config_defaults(&c);
	cr_assert_eq(config_load("/nonexistent/safeharbor/kiosk.conf", &c, NULL, NULL),
	             SH_ERR_NOT_FOUND);
}

Test(config, load_resolves_relative_paths_and_names_file)
{
	char dir[] = "/tmp/sh-test-config-XXXXXX", path[256], cmd[300], real[4096], want[4200];
	struct kiosk_config c;
	struct reports rs;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(realpath(dir, real));
	snprintf(path, sizeof(path), "%s/kiosk.conf", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[kiosk]\nspool = spool\nsigning_key = /abs/kiosk.key\nbogus = 1\n", f);
	fclose(f);
	memset(&rs, 0, sizeof(rs));
	config_defaults(&c);
	cr_assert_eq(config_load(path, &c, collect, &rs), SH_OK);
	snprintf(want, sizeof(want), "%s/spool", real);
	cr_assert_str_eq(c.spool, want);
	cr_assert_str_eq(c.signing_key, "/abs/kiosk.key");
	cr_assert_eq(rs.n, 1);
	cr_assert_str_eq(rs.r[0].file, path);
	cr_assert_eq(rs.r[0].line, 4);
	cr_assert_str_eq(rs.r[0].key, "bogus");
	cr_assert_eq(config_load(dir, &c, NULL, NULL), SH_ERR_IO, "a directory");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(config, example_config_is_valid)
{
	struct kiosk_config c;
	struct reports rs;
	enum sh_status st;

	memset(&rs, 0, sizeof(rs));
	config_defaults(&c);
	st = config_load("config/kiosk.conf", &c, collect, &rs);
	if (st == SH_ERR_NOT_FOUND)
		cr_skip_test("run from the top of the tree");
	cr_assert_eq(st, SH_OK, "%d reports, first line %d %s: %s", rs.n,
	             rs.n ? rs.r[0].line : 0, rs.n ? rs.r[0].key : "", rs.n ? rs.r[0].msg : "");
	cr_assert_eq(rs.n, 0);
}

/* issue 13: readers names every reader, in every language, and fits. */
Test(config, readers_per_language)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\n", &c, &rs), SH_OK);
	cr_assert_str_eq(config_readers(&c, 0), "");
	cr_assert_str_eq(config_readers(&c, 1), "");
	cr_assert_eq(parse("[kiosk]\nreaders = the social worker and the backup\n"
	                   "readers_es = la persona de trabajo social y el respaldo\n", &c, &rs), SH_OK);
	cr_assert_eq(rs.n, 0);
	cr_assert_str_eq(config_readers(&c, 0), "the social worker and the backup");
	cr_assert_str_eq(config_readers(&c, 1), "la persona de trabajo social y el respaldo");
	/* set for English only: Spanish students would be told less */
	cr_assert_eq(parse("[kiosk]\nlanguages = en es\nreaders = the social worker and the backup\n",
	                   &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 3, "readers");
	cr_assert_not_null(strstr(rs.r[0].msg, "readers_es"));
	/* a language not in languages: a warning */
	cr_assert_eq(parse("[kiosk]\nlanguages = en\nreaders = a\nreaders_fr = b\n", &c, &rs), SH_OK);
	assert_one(&rs, 0, 4, "readers_");
}

Test(config, readers_too_long_for_the_screen)
{
	struct kiosk_config c;
	struct reports rs;

	cr_assert_eq(parse("[kiosk]\nlanguages = en\n"
	                   "readers = the school social worker, the district backup reader, and the principal\n",
	                   &c, &rs), SH_ERR_FORMAT);
	assert_one(&rs, 1, 3, "readers");
	cr_assert_not_null(strstr(rs.r[0].msg, "60 columns"));
	/* wide characters count double */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		cr_skip_test("no C.UTF-8 locale");
	cr_assert_eq(parse("[kiosk]\nlanguages = en\nreaders = "
	                   "社工社工社工社工社工社工社工社工社工社工社工社工社工社工社工社工\n", &c, &rs), SH_ERR_FORMAT);
	cr_assert_eq(parse("[kiosk]\nlanguages = en\nreaders =\n", &c, &rs), SH_ERR_FORMAT);
}
