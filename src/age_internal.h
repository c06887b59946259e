#ifndef SAFEHARBOR_AGE_INTERNAL_H
#define SAFEHARBOR_AGE_INTERNAL_H

/* Shared between src/age*.c only; not a public seam. */

#include <stddef.h>
#include "safeharbor/age.h"

#define AGE_VERSION_LINE "age-encryption.org/v1\n"
#define AGE_VERSION_LEN (sizeof(AGE_VERSION_LINE) - 1)
#define AGE_MAX_ARGS 16
#define AGE_TAG_LEN 16
#define AGE_ENC_CHUNK (AGE_CHUNK_SIZE + AGE_TAG_LEN)
#define AGE_NONCE_LEN 16
#define AGE_MAC_LINE_LEN 48              /* "--- " + 43 + LF */
#define AGE_X25519_STANZA_LEN 98         /* "-> X25519 " 43 LF 43 LF */
#define AGE_SCRYPT_LABEL "age-encryption.org/v1/scrypt"
#define AGE_X25519_LABEL "age-encryption.org/v1/X25519"

/* Internal parse result: the input ended inside the header. */
#define AGE_NEED_MORE SH_ERR_TRUNCATED

struct age_stanza {
	size_t nargs;
	size_t argoff[AGE_MAX_ARGS];     /* into the header bytes */
	size_t arglen[AGE_MAX_ARGS];
	size_t bodyoff;                  /* into h->arena */
	size_t bodylen;
};

struct age_header {
	size_t nstanzas;
	struct age_stanza st[AGE_MAX_STANZAS];
	unsigned char mac[32];
	size_t mac_input_len;            /* MAC covers bytes [0, this) */
	size_t payload_off;              /* first byte after the MAC line */
	size_t arenalen;
	unsigned char arena[AGE_MAX_HEADER];
};

/* age_header.c */
enum sh_status age_header_parse(const unsigned char *buf, size_t len,
                                struct age_header *h);
int age_arg_is(const unsigned char *hdr, const struct age_stanza *s,
               size_t i, const char *str);
enum sh_status age_header_structure(const unsigned char *hdr,
                                    const struct age_header *h, int max_logn);
/* logN of a structurally checked scrypt stanza. */
int age_scrypt_logn(const unsigned char *hdr, const struct age_stanza *s);
void age_header_mac(const unsigned char fk[AGE_FILE_KEY_LEN],
                    const unsigned char *hdr, size_t len, unsigned char out[32]);
int age_b64_decode(unsigned char *bin, size_t binmax, const unsigned char *b64,
                   size_t b64len, size_t *binlen);

/* age_keys.c: stanza wrap/unwrap. Unwrap: SH_OK, SH_ERR_NO_MATCH, or
 * SH_ERR_FORMAT (low-order share), SH_ERR_PASSPHRASE for scrypt. */
enum sh_status age_x25519_wrap(const struct age_recipient *r,
                               const unsigned char fk[AGE_FILE_KEY_LEN],
                               unsigned char share[32], unsigned char body[32]);
enum sh_status age_x25519_unwrap(const struct age_identity *id,
                                 const unsigned char share[32],
                                 const unsigned char body[32],
                                 unsigned char fk[AGE_FILE_KEY_LEN]);
enum sh_status age_scrypt_wrap(const char *pass, size_t passlen, int logn,
                               const unsigned char fk[AGE_FILE_KEY_LEN],
                               unsigned char salt[16], unsigned char body[32]);
enum sh_status age_scrypt_unwrap(const char *pass, size_t passlen, int logn,
                                 const unsigned char salt[16],
                                 const unsigned char body[32],
                                 unsigned char fk[AGE_FILE_KEY_LEN]);

/* age_stream.c: a byte source (memory, or fd with a pushed-back prefix)
 * and a byte sink (growing memory or fd). */
struct age_src {
	int fd;                          /* -1: memory */
	const unsigned char *mem;
	size_t memlen, mempos;
};

struct age_out {
	int fd;                          /* -1: memory */
	unsigned char *mem;
	size_t cap, pos;
};

enum sh_status age_src_read(struct age_src *s, unsigned char *buf, size_t n,
                            size_t *got);
enum sh_status age_out_write(struct age_out *o, const void *buf, size_t n);
/* Direct output: chunks are authenticated straight into buf (the caller's
 * secure buffer, wiped by the caller on failure) instead of going through
 * a sink; len is the plaintext accepted so far. */
struct age_direct {
	unsigned char *buf;
	size_t cap, len;
};

enum sh_status age_stream_decrypt(const unsigned char fk[AGE_FILE_KEY_LEN],
                                  struct age_src *src, age_sink sink, void *ctx,
                                  struct age_direct *direct);
/* pt/ptlen: memory input; or pt NULL and in a source to read to EOF. */
enum sh_status age_stream_encrypt(const unsigned char fk[AGE_FILE_KEY_LEN],
                                  const unsigned char *pt, size_t ptlen,
                                  struct age_src *in, struct age_out *out);

#endif
