#include "safeharbor/status.h"

const char *
sh_status_str(enum sh_status st)
{
	switch (st) {
	case SH_OK: return "success";
	case SH_ERR_IO: return "input/output error";
	case SH_ERR_NOMEM: return "out of memory";
	case SH_ERR_USAGE: return "invalid argument";
	case SH_ERR_FORMAT: return "malformed";
	case SH_ERR_VERSION: return "unsupported version";
	case SH_ERR_NO_MATCH: return "not for these keys";
	case SH_ERR_HEADER_MAC: return "tampered (header MAC does not verify)";
	case SH_ERR_PAYLOAD: return "tampered (payload does not authenticate)";
	case SH_ERR_TRUNCATED: return "truncated";
	case SH_ERR_TRAILING: return "trailing data after the end";
	case SH_ERR_PASSPHRASE: return "wrong passphrase or not an identity";
	case SH_ERR_SIGNATURE: return "not from an enrolled kiosk (bad signature)";
	case SH_ERR_TOO_LARGE: return "too large";
	case SH_ERR_EXISTS: return "already exists, not overwriting";
	case SH_ERR_PERM: return "unsafe permissions (readable by group or others)";
	case SH_ERR_NOT_FOUND: return "not found";
	case SH_ERR_NOSPACE: return "no space left";
	case SH_ERR_CHANGED: return "file changed since listed (not shown)";
	}
	return "unknown error";
}
