#ifndef SLA_CLIBGIT2_SHIM_H
#define SLA_CLIBGIT2_SHIM_H

#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one inline wrapper per option used.
static inline int sla_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

// Where libgit2 looks for the global/XDG/system config files. libgit2 computes these from
// $HOME etc. once, at git_libgit2_init; NULL recomputes them from the current environment.
static inline int sla_git_set_search_path(git_config_level_t level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, (int)level, path);
}

#endif
