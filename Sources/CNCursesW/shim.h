#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* The wide-character API must be switched on before curses.h; SwiftPM drops the
   -D flags pkg-config would give, so they live here. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* Swift 6 treats C globals as unsafe shared state and does not import
   function-like macros: read them through functions. */
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline FILE *cnc_stdin(void) { return stdin; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline int cnc_key_f0(void) { return KEY_F0; }

/* Put one wide character with attributes and a colour pair at (y, x). */
static inline int cnc_put(WINDOW *w, int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cc; wchar_t s[2] = { ch, 0 };
    setcchar(&cc, s, attrs, pair, NULL);
    return mvwadd_wch(w, y, x, &cc);
}

/* Put a base character and the zero-width marks drawn on it at (y, x): `count` scalars
   from `chars`, at most CCHARW_MAX (5) of them; extra ones are ignored. */
static inline int cnc_put_n(WINDOW *w, int y, int x, const wchar_t *chars, int count,
                            attr_t attrs, short pair) {
    cchar_t cc; wchar_t s[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) s[i] = chars[i];
    s[n] = 0;
    if (setcchar(&cc, s, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}
#endif
