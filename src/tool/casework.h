#ifndef SAFEHARBOR_TOOL_CASEWORK_H
#define SAFEHARBOR_TOOL_CASEWORK_H

/*
 * Case work as the commands see it: the run's case index (loaded once,
 * refused items reported once on stderr), sealing a new item to the
 * configured recipients, and the one way each output form (show text,
 * JSON, CSV) prints a request's notes, outcome and referrals.
 */

#include <stdio.h>
#include "safeharbor/caserec.h"
#include "casefile.h"
#include "csvw.h"
#include "jsonw.h"
#include "tool.h"

/* The spool's case index; dies (exit 1) when case/ cannot be listed. */
const struct casefile *tool_cases(struct tool_ctx *c);

/* rekey: seal every case item of hers again to r (MAC'd with the
 * identity among r), each replaced whole; the count, *failed those that
 * could not be, *foreign those written with another key (left alone). */
size_t tool_case_rekey(struct tool_ctx *c, const struct age_recipient *r, size_t nr,
                       size_t *failed, size_t *foreign);

/* verify: one line per case item that cannot be opened (a problem) or
 * was written with a key she does not hold (a note); the problems. */
size_t tool_case_verify(struct tool_ctx *c);

/* Seal one item about request (a full id) and deliver it. text/len only
 * for a note. The index is read again on the next tool_cases(). Dies on a
 * bad recipients setting; SH_ERR_IO (errno) etc. when it cannot be kept. */
enum sh_status tool_case_try_add(struct tool_ctx *c, const char *request, enum caserec_kind kind,
                                 int value, const char *text, size_t len);
/* The same, dying (exit 1) with a message when it cannot be kept. */
void tool_case_add(struct tool_ctx *c, const char *request, enum caserec_kind kind, int value,
                   const char *text, size_t len);

/* What the tool seals besides requests (case items, the audit log) is
 * sealed to these: the config's recipients file, or her own identities.
 * Returns which loaded identity is among them; dies (exit 2) on a bad
 * file or one without any of her keys. r holds KEYS_MAX_RECIPIENTS. */
size_t tool_seal_recipients(struct tool_ctx *c, struct age_recipient *r, size_t *nr);

/* "outcome", "referred" (array) and "notes" (count) members; request ""
 * (an envelope that did not open): none of them. */
void tool_case_json_summary(struct tool_ctx *c, struct jsonw *w, const char *request);
/* "case": every item oldest first, notes with their text. */
void tool_case_json_history(struct tool_ctx *c, struct jsonw *w, const char *request);
/* The case lines under a request (show, the inbox reader) into buf, cut
 * at cap - 1 and NUL-terminated; "" when the request has none. Returns the
 * length. Holds her words: give it locked memory. */
size_t tool_case_text(struct tool_ctx *c, const char *request, char *buf, size_t cap);
/* A cap that holds every case line of the request. */
size_t tool_case_text_max(struct tool_ctx *c, const char *request);
/* Three CSV fields: outcome, referred, notes (dated, oldest first). */
void tool_case_csv(struct tool_ctx *c, struct csvw *w, const char *request);

#endif
