#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>
/* curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic: Swift
   cannot call them, so each argument type gets a typed wrapper. */
static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ccurl_data_fn)(char *, size_t, size_t, void *);
static inline CURLcode ccurl_setopt_datafn(CURL *h, CURLoption o, ccurl_data_fn f) { return curl_easy_setopt(h, o, f); }
typedef int (*ccurl_xfer_fn)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode ccurl_setopt_xferfn(CURL *h, CURLoption o, ccurl_xfer_fn f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLcode ccurl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
/* CURL_GLOBAL_DEFAULT is a macro built from other macros; call it through a function. */
static inline CURLcode ccurl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
/* The union in CURLMsg: the transfer result of a CURLMSG_DONE message. */
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }
#endif
