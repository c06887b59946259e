#ifndef SAFEHARBOR_TOOL_MKDIRS_H
#define SAFEHARBOR_TOOL_MKDIRS_H

/* Make dir and its missing parents, the new ones mode 0700 (the tool's
 * folders hold keys, the kiosk list and the spool). 0, or -1 with errno. */
int tool_mkdirs(const char *dir);

#endif
