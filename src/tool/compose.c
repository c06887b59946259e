/* The compose box's kinds, limits and words (see compose.h). */
#include "safeharbor/caserec.h"
#include "safeharbor/reply.h"
#include "safeharbor/util.h"
#include "compose.h"

const struct compose_kind compose_note = { "note", "save", CASEREC_TEXT_MAX_CHARS,
	                                   CASEREC_TEXT_MAX };
const struct compose_kind compose_reply = { "answer", "send", SH_REPLY_TEXT_MAX_CHARS,
	                                    SH_REPLY_TEXT_MAX };

struct textfield *
compose_field_new(const struct compose_kind *k)
{
	return textfield_new(k->max_chars, k->max_bytes, 1);
}

const char *
compose_text(const struct textfield *tf, size_t *len)
{
	const char *s = textfield_data(tf, len);

	while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == ' '))
		(*len)--;
	return s;
}

void
compose_footer(const struct compose_kind *k, const struct textfield *tf, const char *msg,
               char *out, size_t outsize)
{
	size_t used = textfield_chars(tf);

	util_snprintf(out, outsize, "%zu/%zu characters (%zu left)   Ctrl-D %s   Esc discard   %s",
	              used, k->max_chars, used < k->max_chars ? k->max_chars - used : 0, k->send,
	              msg);
}

void
compose_why(const struct compose_kind *k, int full, char *out, size_t outsize)
{
	util_snprintf(out, outsize, "the %s is %s", k->noun, full ? "full" : "empty");
}
