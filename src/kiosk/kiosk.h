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
#include "safeharbor/reply.h"
#include "safeharbor/replycode.h"
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
	/* replies (SPEC §9): code words per language, trusted staff keys */
	struct replycode_words *words[CONFIG_MAX_LANGUAGES];
	unsigned char staff[KEYS_MAX_STAFF][crypto_sign_PUBLICKEYBYTES];
	size_t nstaff;

	/* student data, all sodium_malloc'd */
	struct flow *flow;
	struct textfield *field[RECORD_NFIELDS];
	struct textfield *message;
	struct textfield *pin;
	struct record *rec;
	unsigned char *plain;          /* SH_RECORD_SIZE, serialized record */
	struct textfield *codefield;   /* the code typed on "I have a code" */
	struct kiosk_convo *convo;     /* the code, its key, the answer */
};

/* A conversation (SPEC §9), all in one sodium_malloc block: the code Sent
 * shows (made at send, or typed to read an answer), the reply key derived
 * from it, and the answer found (a send with About: reply writes back). */
struct kiosk_convo {
	char code[REPLYCODE_MAX + 1];  /* "" when none */
	struct age_identity key;
	int have_key;
	struct reply answer;
	int have_answer;
	char root[SH_RECORD_ID_HEX + 1];   /* the request the answer answers */
};

/* What kiosk_load reads. */
#define KIOSK_NEED_CONFIG     0x1u
#define KIOSK_NEED_RECIPIENTS 0x2u
#define KIOSK_NEED_SIGNING    0x4u
#define KIOSK_NEED_SCREENS    0x8u
#define KIOSK_NEED_SPOOL      0x10u
#define KIOSK_NEED_REPLIES    0x20u   /* staff keys, word lists, replies folder */
#define KIOSK_NEED_ALL        0x3fu

/* Load what `need` names, printing every problem as
 * "safeharbor-kiosk: FILE:LINE: problem" on stderr. Returns an exit code:
 * 0 all fine, 2 a configuration problem (config, recipients syntax, screen
 * texts), 1 another failure (missing or unsafe key, spool not writable). */
int kiosk_load(struct kiosk *k, const char *cfgpath, unsigned need);
void kiosk_unload(struct kiosk *k);
/* Print "safeharbor-kiosk: FILE[:LINE]: msg" (kiosk_load's one voice). */
void kiosk_say(const char *file, unsigned line, const char *msg);

/* kiosk_reply.c. Load what replies need; counts problems as kiosk_load
 * does (config: word lists and staff keys with junk; a missing staff_keys
 * file or replies folder is only a warning: requests still get a code). */
void kiosk_load_replies(struct kiosk *k, int *config_problems, int *other);
void kiosk_unload_replies(struct kiosk *k);
/* Make a code for a new request in language lang, derive its key into
 * k->convo. SH_ERR_NOT_FOUND when that language has no word list. */
enum sh_status kiosk_new_code(struct kiosk *k, unsigned lang);
/* What a typed code gives: the answer is in k->convo->answer when FOUND. */
enum kiosk_code_result { KIOSK_CODE_MALFORMED, KIOSK_CODE_NONE, KIOSK_CODE_FOUND };
enum kiosk_code_result kiosk_open_code(struct kiosk *k, const char *typed, size_t len,
                                       time_t now);

/* Allocate / wipe / free the student-data buffers. */
int kiosk_alloc_answers(struct kiosk *k);
void kiosk_wipe(struct kiosk *k);
void kiosk_wipe_own_fields(struct kiosk *k);   /* "leave out my name" */
/* Everything but the code Sent shows (it goes with the next wipe). */
void kiosk_wipe_but_code(struct kiosk *k);
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
