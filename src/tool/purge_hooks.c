/*
 * What purge removes beside a request's envelopes (see purge.h). Notes,
 * outcomes and replies register here as they are added.
 */
#include "purge.h"

const struct purge_hook purge_hooks[] = {
	{ NULL, NULL }
};
