#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/tool/tool.h"

static char home[64];

static void
setup(void)
{
	strcpy(home, "/tmp/sh-toolconf-XXXXXX");
	cr_assert_not_null(mkdtemp(home));
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("SAFEHARBOR_SPOOL");
	unsetenv("SAFEHARBOR_IDENTITY");
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", home);
	(void)!system(cmd);
}

TestSuite(toolconf, .init = setup, .fini = teardown);

static void
write_conf(const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.config/safeharbor", home);
	cr_assert_eq(tool_mkdirs(path), 0);
	snprintf(path, sizeof(path), "%s/.config/safeharbor/safeharbor.conf", home);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

Test(toolconf, scrypt_logn)
{
	cr_assert_eq(tool_scrypt_logn(NULL), AGE_SCRYPT_DEFAULT_LOGN);
	cr_assert_eq(tool_scrypt_logn(""), AGE_SCRYPT_DEFAULT_LOGN);
	cr_assert_eq(tool_scrypt_logn("10"), 10);
	cr_assert_eq(tool_scrypt_logn("22"), 22);
	cr_assert_eq(tool_scrypt_logn("9"), -1);
	cr_assert_eq(tool_scrypt_logn("23"), -1);
	cr_assert_eq(tool_scrypt_logn("1x"), -1);
	cr_assert_eq(tool_scrypt_logn("99999999999999999999"), -1);
}

Test(toolconf, mkdirs_creates_private_parents)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/a/b/c", home);
	cr_assert_eq(tool_mkdirs(path), 0);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	cr_assert_eq(sb.st_mode & 0777, 0700);
	cr_assert_eq(tool_mkdirs(path), 0, "existing is fine");
	snprintf(path, sizeof(path), "%s/a/file", home);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/a/file/x", home);
	cr_assert_eq(tool_mkdirs(path), -1);
}

Test(toolconf, defaults)
{
	struct tool_ctx c;
	char want[256];

	tool_ctx_init(&c);
	tool_configure(&c);
	cr_assert_str_eq(c.spool, "");
	cr_assert_eq(c.nidpaths, 1);
	cr_assert(c.id_defaulted);
	snprintf(want, sizeof(want), "%s/.config/safeharbor/identity.age", home);
	cr_assert_str_eq(c.idpaths[0], want);
	snprintf(want, sizeof(want), "%s/.config/safeharbor/kiosks", home);
	cr_assert_str_eq(c.kiosks_path, want);
	tool_ctx_free(&c);
}

Test(toolconf, config_then_env_then_options)
{
	struct tool_ctx c;
	char want[256];

	write_conf("# comment\nspool = /srv/spool\nidentity = old.age\nidentity = ~/new.age\n");
	tool_ctx_init(&c);
	tool_configure(&c);
	cr_assert_str_eq(c.spool, "/srv/spool");
	cr_assert_eq(c.nidpaths, 2);
	snprintf(want, sizeof(want), "%s/.config/safeharbor/old.age", home);
	cr_assert_str_eq(c.idpaths[0], want, "relative to the config file");
	snprintf(want, sizeof(want), "%s/new.age", home);
	cr_assert_str_eq(c.idpaths[1], want, "~ expanded");
	snprintf(want, sizeof(want), "%s/.config/safeharbor/kiosks", home);
	cr_assert_str_eq(c.kiosks_path, want, "beside the first identity");
	tool_ctx_free(&c);

	setenv("SAFEHARBOR_SPOOL", "/env/spool", 1);
	setenv("SAFEHARBOR_IDENTITY", "/k/a.age:/k/b.age", 1);
	tool_ctx_init(&c);
	tool_configure(&c);
	cr_assert_str_eq(c.spool, "/env/spool");
	cr_assert_eq(c.nidpaths, 2);
	cr_assert_str_eq(c.idpaths[1], "/k/b.age");
	cr_assert_str_eq(c.kiosks_path, "/k/kiosks");
	tool_ctx_free(&c);

	tool_ctx_init(&c);
	c.o.spool = "/opt/spool";
	c.o.ids[0] = "/o/id.age";
	c.o.nids = 1;
	tool_configure(&c);
	cr_assert_str_eq(c.spool, "/opt/spool");
	cr_assert_eq(c.nidpaths, 1);
	cr_assert_str_eq(c.idpaths[0], "/o/id.age");
	cr_assert_str_eq(c.spool_from, "--spool");
	tool_ctx_free(&c);
}

Test(toolconf, section_and_kiosks_key)
{
	struct tool_ctx c;

	write_conf("[safeharbor]\nkiosks = /etc/sh/kiosks\n");
	tool_ctx_init(&c);
	tool_configure(&c);
	cr_assert_str_eq(c.kiosks_path, "/etc/sh/kiosks");
	tool_ctx_free(&c);
}

Test(toolconf, bad_config_is_a_usage_error, .exit_code = 2)
{
	struct tool_ctx c;

	atexit(teardown);        /* die() exits: .fini does not run */
	write_conf("spool\n");
	tool_ctx_init(&c);
	tool_configure(&c);
}

Test(toolconf, empty_value_is_a_usage_error, .exit_code = 2)
{
	struct tool_ctx c;

	atexit(teardown);
	write_conf("spool =\n");
	tool_ctx_init(&c);
	tool_configure(&c);
}

Test(toolconf, parse_expands_and_collects)
{
	static struct tool_conf conf;

	cr_assert_eq(tool_conf_parse("; comment\n[safeharbor]\nspool = ~/spool\n"
	                             "identity = new.age\nidentity = /keys/old.age\n"
	                             "kiosks = /etc/kiosks\n", "f.conf", "/base", &conf), 0);
	cr_assert(strncmp(conf.spool, home, strlen(home)) == 0);
	cr_assert_str_eq(conf.spool + strlen(home), "/spool");
	cr_assert_eq(conf.nids, 2);
	cr_assert_str_eq(conf.ids[0], "/base/new.age");
	cr_assert_str_eq(conf.ids[1], "/keys/old.age");
	cr_assert_str_eq(conf.kiosks, "/etc/kiosks");
}

Test(toolconf, parse_unknown_is_a_warning_bad_is_an_error)
{
	static struct tool_conf conf;
	static char big[TOOL_PATH_MAX + 64];
	int i;

	cr_assert_eq(tool_conf_parse("[other]\nx = 1\n[safeharbor]\ncolour = blue\n", "f", "/b",
	                             &conf), 0);
	cr_assert_eq(conf.spool[0], '\0');
	cr_assert_eq(tool_conf_parse("spool =\n", "f", "/b", &conf), -1);
	cr_assert_eq(tool_conf_parse("spool = /s\nnot a key value line\n", "f", "/b", &conf), -1);
	/* a line longer than libinih's buffer: an error of its own, not split */
	strcpy(big, "spool = /");
	memset(big + 9, 'p', 400);
	strcpy(big + 409, "\nkiosks = /k\n");
	cr_assert_eq(tool_conf_parse(big, "f", "/b", &conf), -1);
	cr_assert_str_eq(conf.kiosks, "/k");
	/* a relative path that would be longer than a path may be */
	big[0] = '/';
	memset(big + 1, 'd', TOOL_PATH_MAX - 8);
	big[TOOL_PATH_MAX - 7] = '\0';
	cr_assert_eq(tool_conf_parse("spool = /s\n", "f", big, &conf), 0);
	cr_assert_eq(tool_conf_parse("spool = spool/of/the/district\n", "f", big, &conf), -1);
	/* more identities than the tool holds */
	big[0] = '\0';
	for (i = 0; i <= KEYS_MAX_IDENTITIES; i++)
		strcat(big, "identity = /k\n");
	cr_assert_eq(tool_conf_parse(big, "f", "/b", &conf), -1);
}
