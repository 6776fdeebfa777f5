#ifndef CCURL_H
#define CCURL_H
// Types and constants only: libcurl itself is loaded on first use (shim.c), so the client's
// offline commands never map libcurl and the ~28 libraries it pulls in (P7, cold start).
#include <curl/curl.h>

// 1 when libcurl could be loaded; otherwise ccurl_load_error() says why.
int ccurl_available(void);
const char *ccurl_load_error(void);

CURLcode ccurl_global_init(void);
CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
void ccurl_easy_reset(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

// Typed, non-variadic wrappers: Swift cannot call curl_easy_setopt / curl_easy_getinfo.
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_offt(CURL *handle, CURLoption option, curl_off_t value);

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                      curl_off_t ultotal, curl_off_t ulnow);
CURLcode ccurl_setopt_write_callback(CURL *handle, ccurl_data_callback cb);
CURLcode ccurl_setopt_read_callback(CURL *handle, ccurl_data_callback cb);
CURLcode ccurl_setopt_header_callback(CURL *handle, ccurl_data_callback cb);
CURLcode ccurl_setopt_progress_callback(CURL *handle, ccurl_progress_callback cb);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_offt(CURL *handle, CURLINFO info, curl_off_t *value);
#endif
