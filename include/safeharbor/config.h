#ifndef SAFEHARBOR_CONFIG_H
#define SAFEHARBOR_CONFIG_H

/*
 * Kiosk configuration (INI, parsed with libinih). Every problem is reported
 * through a callback naming file, line and key, so `--check` can list them
 * all and start-up can refuse with the first. Relative paths are resolved
 * against the directory of the config file.
 */

#include <stddef.h>
#include <sodium.h>
#include "safeharbor/status.h"

#define CONFIG_PATH_MAX 4096
#define CONFIG_MAX_LANGUAGES 8
#define CONFIG_LANG_MAX 8
#define CONFIG_TEXT_MAX 256
#define CONFIG_DEFAULT_PATH "/etc/safeharbor/kiosk.conf"
#define CONFIG_DEFAULT_IDLE 90
#define CONFIG_DEFAULT_SENT 30     /* WCAG 2.2.1: time to read Sent */
#define CONFIG_MIN_SENT 30
#define CONFIG_DEFAULT_REPLY_DAYS 30

struct kiosk_config {
	char spool[CONFIG_PATH_MAX];
	char recipients[CONFIG_PATH_MAX];
	char signing_key[CONFIG_PATH_MAX];
	char screens[CONFIG_PATH_MAX];
	char languages[CONFIG_MAX_LANGUAGES][CONFIG_LANG_MAX + 1];
	size_t nlanguages;
	unsigned idle_seconds;
	unsigned sent_seconds;
	char follow_up[CONFIG_TEXT_MAX];
	char admin_pin_hash[crypto_pwhash_STRBYTES];   /* "" if not set */
	char replies[CONFIG_PATH_MAX];      /* answers synced from the social worker */
	char staff_keys[CONFIG_PATH_MAX];   /* shstaff1... keys whose answers are shown */
	unsigned reply_days;                /* answers older than this are not shown */
	/* Who can read a request, shown to students: readers for the first
	 * language, readers_LANG for another; "" when not set (the screens'
	 * own words are used). */
	char readers[CONFIG_TEXT_MAX];
	struct {
		char lang[CONFIG_LANG_MAX + 1];
		char text[CONFIG_TEXT_MAX];
	} readers_lang[CONFIG_MAX_LANGUAGES];
	size_t nreaders_lang;
};

/* What the config says about readers for languages[i] ("" when nothing). */
const char *config_readers(const struct kiosk_config *c, size_t i);

/* severity: 0 warning (e.g. unknown key), 1 error. line 0: whole file. */
typedef void (*config_report)(void *ctx, int severity, const char *file,
                              int line, const char *key, const char *msg);

/* Defaults for every key. */
void config_defaults(struct kiosk_config *c);

/* Load path into c (after config_defaults). Returns SH_OK when there was no
 * error (warnings allowed), SH_ERR_FORMAT when any error was reported,
 * SH_ERR_IO / SH_ERR_NOT_FOUND when the file cannot be read. */
enum sh_status config_load(const char *path, struct kiosk_config *c,
                           config_report report, void *ctx);

/* Same from memory; name is used in reports, basedir resolves relative
 * paths (may be NULL: paths are kept as given). */
enum sh_status config_parse(const char *text, size_t len, const char *name,
                            const char *basedir, struct kiosk_config *c,
                            config_report report, void *ctx);

#endif
