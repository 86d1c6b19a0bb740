// The PostgreSQL tests' main: they need a real server (tools/pg_test_cluster.sh start exports
// DEADZONE_TEST_PG_URI). Without one they report SKIPPED loudly (exit 77, CTest's
// SKIP_RETURN_CODE) instead of passing silently.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    const char* uri = std::getenv("DEADZONE_TEST_PG_URI");
    if (uri == nullptr || *uri == '\0') {
        std::cerr << "\n*** SKIPPED: the PostgreSQL store tests need a server. DEADZONE_TEST_PG_URI is not set.\n"
                     "*** Start a throwaway one:  eval \"$(tools/pg_test_cluster.sh start)\"  (needs Debian's\n"
                     "*** postgresql-15 and postgresql-15-postgis-3), run ctest, then tools/pg_test_cluster.sh stop.\n\n";
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
