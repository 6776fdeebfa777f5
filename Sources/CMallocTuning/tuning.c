#include <malloc.h>

#include "CMallocTuning.h"

int cmalloc_keep_freed_memory(void) {
    int mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20);
    int trim = mallopt(M_TRIM_THRESHOLD, 64 << 20);
    return mmap == 1 && trim == 1;
}
