#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// libcurl's entry points, resolved once from libcurl.so.4 at the first network call.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;
static const char *load_error = NULL;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_error = dlerror();
        return;
    }
#define RESOLVE(field, name)                                                                       \
    if (!(*(void **)&api.field = dlsym(lib, name))) {                                              \
        load_error = "libcurl.so.4 lacks " name;                                                   \
        return;                                                                                    \
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_reset, "curl_easy_reset")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
#undef RESOLVE
}

int ccurl_available(void) {
    pthread_once(&once, load);
    return load_error == NULL;
}

const char *ccurl_load_error(void) {
    return ccurl_available() ? NULL : load_error;
}

// Every handle comes from ccurl_easy_init, which returns NULL when libcurl is missing; the
// other calls are only reached with a handle, so libcurl is loaded by then.
CURLcode ccurl_global_init(void) {
    return ccurl_available() ? api.global_init(CURL_GLOBAL_DEFAULT) : CURLE_FAILED_INIT;
}
CURL *ccurl_easy_init(void) { return ccurl_available() ? api.easy_init() : NULL; }
void ccurl_easy_cleanup(CURL *h) { api.easy_cleanup(h); }
void ccurl_easy_reset(CURL *h) { api.easy_reset(h); }
CURLcode ccurl_easy_perform(CURL *h) { return api.easy_perform(h); }
const char *ccurl_easy_strerror(CURLcode c) {
    return ccurl_available() ? api.easy_strerror(c) : "libcurl is not available";
}
struct curl_slist *ccurl_slist_append(struct curl_slist *l, const char *t) {
    return ccurl_available() ? api.slist_append(l, t) : NULL;
}
void ccurl_slist_free_all(struct curl_slist *l) {
    if (l) api.slist_free_all(l);
}

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return api.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return api.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_offt(CURL *h, CURLoption o, curl_off_t v) { return api.easy_setopt(h, o, v); }
CURLcode ccurl_setopt_write_callback(CURL *h, ccurl_data_callback cb) {
    return api.easy_setopt(h, CURLOPT_WRITEFUNCTION, cb);
}
CURLcode ccurl_setopt_read_callback(CURL *h, ccurl_data_callback cb) {
    return api.easy_setopt(h, CURLOPT_READFUNCTION, cb);
}
CURLcode ccurl_setopt_header_callback(CURL *h, ccurl_data_callback cb) {
    return api.easy_setopt(h, CURLOPT_HEADERFUNCTION, cb);
}
CURLcode ccurl_setopt_progress_callback(CURL *h, ccurl_progress_callback cb) {
    return api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
}
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLcode ccurl_getinfo_offt(CURL *h, CURLINFO i, curl_off_t *v) { return api.easy_getinfo(h, i, v); }
