#ifndef SAFEHARBOR_KIOSK_KIOSK_H
#define SAFEHARBOR_KIOSK_KIOSK_H

/*
 * safeharbor-kiosk internals shared by its files. Everything a student types
 * lives in the textfields and the record (sodium_malloc); kiosk_wipe()
 * zeroes all of it. Only ui_*.c include curses.
 */

#include <stddef.h>
#include <stdint.h>
#include "safeharbor/age.h"
#include "safeharbor/config.h"
#include "safeharbor/flow.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/screens.h"
#include "safeharbor/spool.h"
#include "safeharbor/textfield.h"

#define KIOSK_PROG "safeharbor-kiosk"
#define KIOSK_PIN_MAX_CHARS 64

struct kiosk {
	char cfgpath[CONFIG_PATH_MAX];
	struct kiosk_config cfg;
	struct screens *scr[CONFIG_MAX_LANGUAGES];
	size_t nlang;
	struct age_recipient rcpt[KEYS_MAX_RECIPIENTS];
	size_t nrcpt;
	struct keys_signing *sign;
	char kiosk_token[KEYS_KIOSK_STRLEN + 1];

	/* student data, all sodium_malloc'd */
	struct flow *flow;
	struct textfield *field[RECORD_NFIELDS];
	struct textfield *message;
	struct textfield *pin;
	struct record *rec;
	unsigned char *plain;          /* SH_RECORD_SIZE, serialized record */
};

/* What kiosk_load reads. */
#define KIOSK_NEED_CONFIG     0x1u
#define KIOSK_NEED_RECIPIENTS 0x2u
#define KIOSK_NEED_SIGNING    0x4u
#define KIOSK_NEED_SCREENS    0x8u
#define KIOSK_NEED_SPOOL      0x10u
#define KIOSK_NEED_ALL        0x1fu

/* Load what `need` names, printing every problem as
 * "safeharbor-kiosk: FILE:LINE: problem" on stderr. Returns an exit code:
 * 0 all fine, 2 a configuration problem (config, recipients syntax, screen
 * texts), 1 another failure (missing or unsafe key, spool not writable). */
int kiosk_load(struct kiosk *k, const char *cfgpath, unsigned need);
void kiosk_unload(struct kiosk *k);

/* Allocate / wipe / free the student-data buffers. */
int kiosk_alloc_answers(struct kiosk *k);
void kiosk_wipe(struct kiosk *k);
void kiosk_wipe_own_fields(struct kiosk *k);   /* "leave out my name" */
void kiosk_free_answers(struct kiosk *k);

/* Build the record from the answers, sign, seal to every recipient,
 * deliver. name_out may be NULL. Wipes the record whatever happens. */
enum sh_status kiosk_send(struct kiosk *k, char name_out[SPOOL_NAME_MAX]);
/* The IT test: About: test, Danger: no. */
enum sh_status kiosk_send_test(struct kiosk *k, char name_out[SPOOL_NAME_MAX]);

/* Commands. Each returns an exit code. */
int kiosk_cmd_check(const char *cfgpath);
/* --check's deployment lines (ownership, modes, PIN, terminal size);
 * returns how many problems (warnings are printed, not counted). */
int kiosk_deploy_check(const struct kiosk *k);
int kiosk_cmd_enroll(const char *cfgpath);
int kiosk_cmd_send_test(const char *cfgpath);
int kiosk_cmd_set_pin(void);

/* 1 accepted, 0 wrong, -1 no PIN configured. */
int kiosk_pin_verify(const struct kiosk *k, const char *pin, size_t len);

/* Whether TERM describes a terminal the kiosk can run on: cursor
 * addressing (cup) and an F12 key (kf12, the staff key). NULL if so, else
 * what is missing, for IT. Reads terminfo; starts no curses (ui_term.c). */
const char *ui_term_lacks(void);

/* The full-screen kiosk; returns an exit code. */
int ui_run(struct kiosk *k);

uint64_t kiosk_now_ms(void);

#endif
