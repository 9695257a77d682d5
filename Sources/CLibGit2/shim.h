#ifndef SLA_CLIBGIT2_SHIM_H
#define SLA_CLIBGIT2_SHIM_H

#include <git2.h>
// git_repository_set_config: lets GitKit's tests give a repository an isolated config.
#include <git2/sys/repository.h>

// git_libgit2_opts is variadic, which Swift cannot call: one inline wrapper per option used.
static inline int sla_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

#endif
