#ifndef SAFEHARBOR_AGE_H
#define SAFEHARBOR_AGE_H

/*
 * age v1 (age-encryption.org/v1) reader and writer: X25519 recipients and
 * identities, scrypt passphrase stanzas, header MAC, STREAM payload.
 * Only compositions of libsodium primitives; no primitive written here.
 * Key encodings (age1..., AGE-SECRET-KEY-1...) live here too.
 */

#include <stddef.h>
#include "safeharbor/status.h"

#define AGE_KEY_LEN 32
#define AGE_FILE_KEY_LEN 16
#define AGE_CHUNK_SIZE 65536
#define AGE_RECIPIENT_STRLEN 62          /* age1 + 58 */
#define AGE_IDENTITY_STRLEN 74           /* AGE-SECRET-KEY-1 + 58 */
#define AGE_MAX_STANZAS 64               /* reader limit */
#define AGE_MAX_HEADER 65536             /* reader limit, bytes */
#define AGE_SCRYPT_DEFAULT_LOGN 18
#define AGE_SCRYPT_MAX_LOGN 22

struct age_recipient {
	unsigned char pk[AGE_KEY_LEN];
};

/* Secret: keep in sodium_malloc memory, wipe after use. */
struct age_identity {
	unsigned char sk[AGE_KEY_LEN];
	unsigned char pk[AGE_KEY_LEN];   /* derived from sk */
};

/* What a reader may use to unwrap a file key. Any member may be empty. */
struct age_unlock {
	const struct age_identity *ids;
	size_t nids;
	const char *passphrase;          /* NULL: scrypt stanzas do not match */
	size_t passlen;
	int max_logn;                    /* 0 means AGE_SCRYPT_MAX_LOGN */
};

/* Receives authenticated plaintext, one chunk at a time. Non-zero aborts. */
typedef int (*age_sink)(void *ctx, const unsigned char *buf, size_t len);

/* Key encodings (Bech32, BIP173). Parsers are strict: exact case, length
 * and checksum. Return SH_OK or SH_ERR_FORMAT. */
enum sh_status age_recipient_parse(const char *s, size_t len, struct age_recipient *out);
void age_recipient_format(const struct age_recipient *r, char out[AGE_RECIPIENT_STRLEN + 1]);
enum sh_status age_identity_parse(const char *s, size_t len, struct age_identity *out);
/* out holds a secret: caller wipes it. */
void age_identity_format(const struct age_identity *id, char out[AGE_IDENTITY_STRLEN + 1]);
void age_identity_generate(struct age_identity *out);
void age_identity_recipient(const struct age_identity *id, struct age_recipient *out);

/* Size of a file encrypted to n X25519 recipients with a plaintext of
 * ptlen bytes. Deterministic: the envelope size leaks nothing else. */
size_t age_encrypted_size(size_t nrecipients, size_t ptlen);

/* Encrypt to X25519 recipients. *out is malloc'd (ciphertext is not secret),
 * exactly age_encrypted_size() bytes. */
enum sh_status age_encrypt_mem(const struct age_recipient *r, size_t nr,
                               const unsigned char *pt, size_t ptlen,
                               unsigned char **out, size_t *outlen);

/* Streaming forms for large files: read infd to EOF, write outfd. */
enum sh_status age_encrypt_fd(const struct age_recipient *r, size_t nr,
                              int infd, int outfd);

/* Encrypt with a passphrase (one scrypt stanza), as `age -p` does. */
enum sh_status age_encrypt_passphrase_mem(const char *pass, size_t passlen, int logn,
                                          const unsigned char *pt, size_t ptlen,
                                          unsigned char **out, size_t *outlen);

/* Decrypt. Plaintext goes to sink only after each chunk authenticates, so a
 * failure part-way has released exactly the chunks before it (as age does).
 * Errors: SH_ERR_VERSION, SH_ERR_FORMAT (header syntax, bad stanza),
 * SH_ERR_NO_MATCH, SH_ERR_HEADER_MAC, SH_ERR_PAYLOAD, SH_ERR_TRUNCATED,
 * SH_ERR_TRAILING, SH_ERR_PASSPHRASE (scrypt stanza, wrong passphrase),
 * SH_ERR_TOO_LARGE (header over AGE_MAX_HEADER), SH_ERR_IO (also when the
 * sink returns non-zero). One chunk at a time on the calling thread;
 * memory use is bounded (about 128 KiB plus the header) whatever the file
 * size. */
enum sh_status age_decrypt_fd(const struct age_unlock *u, int fd,
                              age_sink sink, void *ctx);
enum sh_status age_decrypt_mem(const struct age_unlock *u,
                               const unsigned char *in, size_t inlen,
                               age_sink sink, void *ctx);

/* Decrypt a buffer into caller-provided memory, typically one sodium_malloc
 * buffer reused (and wiped by the caller) for every file of a queue, so no
 * locked memory is allocated per file. Chunks are authenticated straight
 * into out; plaintext longer than outcap is SH_ERR_TOO_LARGE. On any error
 * out[0..outcap) is wiped, so nothing unauthenticated or partial is left in
 * it. Errors as age_decrypt_mem. */
enum sh_status age_decrypt_into(const struct age_unlock *u,
                                const unsigned char *in, size_t inlen,
                                unsigned char *out, size_t outcap, size_t *outlen);

/* Convenience: decrypt a buffer whose plaintext is at most maxpt bytes into
 * sodium_malloc memory (*out; free with sodium_free after wiping). */
enum sh_status age_decrypt_to_secure(const struct age_unlock *u,
                                     const unsigned char *in, size_t inlen,
                                     size_t maxpt,
                                     unsigned char **out, size_t *outlen);

/* Parse only the header (for fuzzing and for `verify` without keys):
 * checks version line, stanza syntax, canonical base64, MAC line syntax.
 * *payload_off receives the offset of the payload nonce. */
enum sh_status age_header_check(const unsigned char *in, size_t inlen,
                                size_t *payload_off);

/* Lower-level pieces exposed for known-answer tests. */
void age_hkdf_sha256(const unsigned char *ikm, size_t ikmlen,
                     const unsigned char *salt, size_t saltlen,
                     const char *info, unsigned char out[32]);

#endif
