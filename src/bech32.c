/*
 * Bech32 (BIP173) as age uses it: the original constant (polymod == 1, not
 * Bech32m), one case per string, checksum over the lowercased hrp.
 * Non-goals: the 90-character limit of BIP173 (age dropped it, age#453),
 * segwit witness programs.
 */
#include <string.h>

#include "safeharbor/bech32.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static unsigned long
polymod_step(unsigned long chk, unsigned int v)
{
	static const unsigned long gen[5] = {
		0x3b6a57b2UL, 0x26508e6dUL, 0x1ea119faUL, 0x3d4233ddUL, 0x2a1462b3UL
	};
	unsigned long b = chk >> 25;
	int i;

	chk = ((chk & 0x1ffffffUL) << 5) ^ v;
	for (i = 0; i < 5; i++)
		if ((b >> i) & 1)
			chk ^= gen[i];
	return chk;
}

static unsigned long
hrp_polymod(const char *hrp, size_t hlen)
{
	unsigned long chk = 1;
	size_t i;

	for (i = 0; i < hlen; i++)
		chk = polymod_step(chk, (unsigned int)((unsigned char)hrp[i] >> 5));
	chk = polymod_step(chk, 0);
	for (i = 0; i < hlen; i++)
		chk = polymod_step(chk, (unsigned int)((unsigned char)hrp[i] & 31));
	return chk;
}

static int
charset_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(charset, c);
	return p == NULL ? -1 : (int)(p - charset);
}

enum sh_status
bech32_encode(const char *hrp, const unsigned char *data, size_t len,
              char *out, size_t outsize)
{
	size_t hlen = strlen(hrp), n5, need, i, o = 0;
	unsigned long chk, acc = 0;
	unsigned int bits = 0;

	if (hlen == 0)
		return SH_ERR_USAGE;
	for (i = 0; i < hlen; i++)
		if ((unsigned char)hrp[i] < 33 || (unsigned char)hrp[i] > 126 ||
		    (hrp[i] >= 'A' && hrp[i] <= 'Z'))
			return SH_ERR_USAGE;
	if (len > (((size_t)-1) - hlen - 16) / 2)
		return SH_ERR_TOO_LARGE;
	n5 = (len * 8 + 4) / 5;
	need = hlen + 1 + n5 + 6 + 1;
	if (outsize < need)
		return SH_ERR_TOO_LARGE;
	memcpy(out, hrp, hlen);
	o = hlen;
	out[o++] = '1';
	chk = hrp_polymod(hrp, hlen);
	for (i = 0; i < len; i++) {
		acc = ((acc << 8) | data[i]) & 0xfffUL;
		bits += 8;
		while (bits >= 5) {
			unsigned int v = (unsigned int)(acc >> (bits - 5)) & 31;
			bits -= 5;
			chk = polymod_step(chk, v);
			out[o++] = charset[v];
		}
	}
	if (bits > 0) {
		unsigned int v = (unsigned int)(acc << (5 - bits)) & 31;
		chk = polymod_step(chk, v);
		out[o++] = charset[v];
	}
	for (i = 0; i < 6; i++)
		chk = polymod_step(chk, 0);
	chk ^= 1;
	for (i = 0; i < 6; i++)
		out[o++] = charset[(chk >> (5 * (5 - i))) & 31];
	out[o] = '\0';
	acc = 0;
	return SH_OK;
}

enum sh_status
bech32_decode(const char *s, size_t slen,
              char *hrp_out, size_t hrpmax,
              unsigned char *data, size_t datamax, size_t *datalen)
{
	size_t i, sep = 0, hlen, dlen, o = 0;
	int lower = 0, upper = 0, found = 0;
	unsigned long chk, acc = 0;
	unsigned int bits = 0;

	*datalen = 0;
	for (i = 0; i < slen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126)
			return SH_ERR_FORMAT;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		if (c >= 'A' && c <= 'Z')
			upper = 1;
		if (c == '1') {
			sep = i;
			found = 1;
		}
	}
	if (lower && upper)
		return SH_ERR_FORMAT;
	if (!found || sep == 0 || slen - sep - 1 < 6)
		return SH_ERR_FORMAT;
	hlen = sep;
	if (hrpmax < hlen + 1)
		return SH_ERR_FORMAT;
	for (i = 0; i < hlen; i++) {
		char c = s[i];

		hrp_out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	hrp_out[hlen] = '\0';
	chk = hrp_polymod(hrp_out, hlen);
	dlen = slen - sep - 1 - 6;
	for (i = sep + 1; i < slen; i++) {
		char c = s[i];
		int v;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		v = charset_value(c);
		if (v < 0)
			return SH_ERR_FORMAT;
		chk = polymod_step(chk, (unsigned int)v);
		if (i - sep - 1 < dlen) {
			acc = ((acc << 5) | (unsigned int)v) & 0xfffUL;
			bits += 5;
			if (bits >= 8) {
				bits -= 8;
				if (o >= datamax)
					return SH_ERR_FORMAT;
				data[o++] = (unsigned char)(acc >> bits);
			}
		}
	}
	if (chk != 1)
		return SH_ERR_FORMAT;
	if (bits >= 5 || (acc & ((1UL << bits) - 1)) != 0)
		return SH_ERR_FORMAT;
	*datalen = o;
	return SH_OK;
}
