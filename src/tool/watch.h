#ifndef SAFEHARBOR_TOOL_WATCH_H
#define SAFEHARBOR_TOOL_WATCH_H

/*
 * watch: tell the social worker that requests arrived (SPEC §11), waiting
 * on the spool's new/ folder with inotify. Commands get counts only, in
 * their environment; never a name, a message or an id.
 */

#include "tool.h"

#define WATCH_DEFAULT_TIMEOUT 60   /* seconds a command may run */
#define WATCH_MAX_TIMEOUT 3600
#define WATCH_BATCH_MS 200         /* deliveries this close together are one batch */

int cmd_watch(struct tool_ctx *c);

#endif
