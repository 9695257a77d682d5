#ifndef SLA_CLIBGIT2_SHIM_H
#define SLA_CLIBGIT2_SHIM_H

#include <git2.h>
// git_repository_set_config: lets GitKit's tests give a repository an isolated config.
#include <git2/sys/repository.h>

// git_libgit2_opts is variadic, which Swift cannot call: one inline wrapper per option used.
static inline int sla_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

// Trees up to `bytes` are kept in libgit2's object cache (its default, 4 KiB, leaves out the
// `agreements/` tree of a repository with a hundred agreements, which every commit reads).
static inline int sla_git_set_tree_cache_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}

// The whole object cache's bound, so memory does not grow with the length of the history.
static inline int sla_git_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}

// Whether libgit2 hashes every object it reads to check it against its id (git itself does not;
// `git fsck` does). See GitKit's initialisation for why sla turns it off.
static inline int sla_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

#endif
