#ifndef SAFEHARBOR_STATUS_H
#define SAFEHARBOR_STATUS_H

/*
 * One status type for every library module (age, keys, record, spool,
 * config). Library code never exits or prints; it returns one of these and
 * the programs decide what to tell the user.
 */
enum sh_status {
	SH_OK = 0,
	SH_ERR_IO,          /* a system call failed; errno is kept */
	SH_ERR_NOMEM,
	SH_ERR_USAGE,       /* a caller passed something impossible */
	SH_ERR_FORMAT,      /* malformed input: header, stanza, record, key file */
	SH_ERR_VERSION,     /* not age v1 / not SAFEHARBOR-RECORD 1 */
	SH_ERR_NO_MATCH,    /* no identity opens this file */
	SH_ERR_HEADER_MAC,  /* header MAC does not verify */
	SH_ERR_PAYLOAD,     /* payload authentication failed */
	SH_ERR_TRUNCATED,   /* input ends too early */
	SH_ERR_TRAILING,    /* data after the end */
	SH_ERR_PASSPHRASE,  /* wrong passphrase or not an identity */
	SH_ERR_SIGNATURE,   /* record signature does not verify */
	SH_ERR_TOO_LARGE,   /* a field, message or file exceeds its limit */
	SH_ERR_EXISTS,      /* refusing to overwrite */
	SH_ERR_PERM,        /* file permissions are unsafe */
	SH_ERR_NOT_FOUND,
	SH_ERR_NOSPACE,     /* the disk or quota is full */
	SH_ERR_CHANGED      /* a file is not what it was when listed */
};

/* A short lowercase phrase for messages: "header MAC does not verify". */
const char *sh_status_str(enum sh_status st);

#endif
