#ifndef CMALLOC_TUNING_H
#define CMALLOC_TUNING_H

// glibc's mallopt (declared in <malloc.h>, which Swift's Glibc module leaves out).

// Keeps freed memory in the process instead of handing it back to the kernel at once: a
// short-lived command (member-cli) otherwise gives back each pull page's buffers when they are
// freed and takes fresh zeroed pages for the next page, twice the page faults of its peak.
// Blocks up to 32 MiB come from the heap (glibc's own ceiling for its moving threshold), and
// the heap is trimmed only above 64 MiB free. Nothing depends on it taking effect.
void cmalloc_keep_freed_memory(void);

#endif
