/* What Swift cannot import from ncurses: macros, globals Swift 6 rejects as unsafe,
   and a few calls whose arguments are easier to fix in C. Keep every shim a one-liner
   with no policy; the console's decisions live in Terminal.swift. */
#ifndef GOSSIPGRID_CNCURSES_SHIM_H
#define GOSSIPGRID_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <ncurses.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Key codes the console understands, independent of ncurses' numbering. */
enum {
    GG_KEY_NONE = 0,
    GG_KEY_UP,
    GG_KEY_DOWN,
    GG_KEY_LEFT,
    GG_KEY_RIGHT,
    GG_KEY_PAGE_UP,
    GG_KEY_PAGE_DOWN,
    GG_KEY_HOME,
    GG_KEY_END,
    GG_KEY_ENTER,
    GG_KEY_BACKSPACE,
    GG_KEY_DELETE,
    GG_KEY_BACK_TAB,
    GG_KEY_RESIZE
};

/* What gg_read_key found. */
enum { GG_INPUT_NONE = 0, GG_INPUT_CHARACTER = 1, GG_INPUT_KEY = 2 };

static inline int gg_setlocale(void) { return setlocale(LC_ALL, "") != NULL; }

static inline int gg_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* newterm rather than initscr: it returns NULL instead of exiting when TERM is unusable. */
static inline SCREEN *gg_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline WINDOW *gg_stdscr(void) { return stdscr; }
static inline WINDOW *gg_curscr(void) { return curscr; }
static inline int gg_lines(void) { return LINES; }
static inline int gg_cols(void) { return COLS; }
static inline int gg_colors(void) { return COLORS; }
static inline int gg_color_pairs(void) { return COLOR_PAIRS; }

static inline void gg_getmaxyx(WINDOW *window, int *rows, int *columns) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *columns = x;
}

static inline int gg_key_f(int number) { return KEY_F(number); }

static inline attr_t gg_a_normal(void) { return A_NORMAL; }
static inline attr_t gg_a_bold(void) { return A_BOLD; }
static inline attr_t gg_a_dim(void) { return A_DIM; }
static inline attr_t gg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gg_a_reverse(void) { return A_REVERSE; }
static inline attr_t gg_color_pair(int pair) { return COLOR_PAIR(pair); }

static inline int gg_set_style(attr_t attributes, short pair) { return wattr_set(stdscr, attributes, pair, NULL); }

static inline int gg_put(int row, int column, const wchar_t *text, int count) {
    return mvwaddnwstr(stdscr, row, column, text, count);
}

static inline int gg_translate_key(wint_t code) {
    switch (code) {
    case KEY_UP: return GG_KEY_UP;
    case KEY_DOWN: return GG_KEY_DOWN;
    case KEY_LEFT: return GG_KEY_LEFT;
    case KEY_RIGHT: return GG_KEY_RIGHT;
    case KEY_PPAGE: return GG_KEY_PAGE_UP;
    case KEY_NPAGE: return GG_KEY_PAGE_DOWN;
    case KEY_HOME: return GG_KEY_HOME;
    case KEY_END: return GG_KEY_END;
    case KEY_ENTER: return GG_KEY_ENTER;
    case KEY_BACKSPACE: return GG_KEY_BACKSPACE;
    case KEY_DC: return GG_KEY_DELETE;
    case KEY_BTAB: return GG_KEY_BACK_TAB;
    case KEY_RESIZE: return GG_KEY_RESIZE;
    default: return GG_KEY_NONE;
    }
}

/* Reads one key without waiting (the window is in nodelay mode): GG_INPUT_NONE when
   nothing is pending, GG_INPUT_CHARACTER with the character in *value, GG_INPUT_KEY with
   a GG_KEY_* code in *value. */
static inline int gg_read_key(unsigned int *value) {
    wint_t code = 0;
    int result = wget_wch(stdscr, &code);
    if (result == ERR) return GG_INPUT_NONE;
    if (result == KEY_CODE_YES) {
        *value = (unsigned int)gg_translate_key(code);
        return GG_INPUT_KEY;
    }
    *value = (unsigned int)code;
    return GG_INPUT_CHARACTER;
}

#endif
