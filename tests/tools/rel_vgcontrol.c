/*
 * Test-only positive control for tests/run-valgrind.sh: with "bad" it reads
 * one byte past a heap block and leaks the block, so the harness can show
 * it really catches both; with no argument it is clean. Not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	volatile char *p = malloc(16);
	int bad = argc > 1 && strcmp(argv[1], "bad") == 0;
	size_t last = strlen(argv[0]) > 0 ? 15 : 0;

	if (p == NULL)
		return 2;
	memset((char *)p, 'x', 16);
	printf("%d\n", p[last + (size_t)bad]);
	if (!bad)
		free((void *)p);
	p = NULL;
	return 0;
}
