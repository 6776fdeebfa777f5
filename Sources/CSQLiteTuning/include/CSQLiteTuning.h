#ifndef CSQLITE_TUNING_H
#define CSQLITE_TUNING_H

// Process-wide SQLite settings that only the variadic sqlite3_config can make (Swift cannot
// call it). They take effect only before SQLite's first use in the process; afterwards the
// call answers SQLITE_MISUSE and changes nothing.

// Turns off SQLite's memory statistics: with them on, every sqlite3_malloc and sqlite3_free
// takes a process-wide mutex (a twentieth of writing a pulled page). Nothing here reads them.
int csqlite_memstatus_off(void);

#endif
