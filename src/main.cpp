#include <deadzone/cli/cli.hpp>

#include <iostream>

int main(int argc, char** argv) {
    return deadzone::cli::run(argc, argv, std::cout, std::cerr);
}
