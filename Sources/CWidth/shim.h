#ifndef CWIDTH_SHIM_H
#define CWIDTH_SHIM_H
#include <wchar.h>
#include <locale.h>
/* glibc declares these only under __USE_XOPEN, which Swift's Glibc module lacks. */
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);
#endif
