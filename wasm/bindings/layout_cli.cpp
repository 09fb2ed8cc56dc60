// mehfil-layout: the layout engine on the command line. Reads an input as JSON on stdin, prints the
// output as JSON on stdout. Bad input: the message on stderr and exit status 2.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "layout/layout_json.h"

int main(int argc, char** argv) {
  if (argc > 1) {
    const std::string_view arg = argv[1];
    std::ostream& out = (arg == "--help" || arg == "-h") ? std::cout : std::cerr;
    out << "usage: mehfil-layout < input.json > output.json\n"
           "Reads a layout input as JSON on stdin and prints where every tile goes as JSON.\n"
           "The format is in README.md, \"Using the layout engine\".\n";
    return (arg == "--help" || arg == "-h") ? 0 : 2;
  }
  const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  try {
    std::cout << mehfil::layout::output_to_json_text(mehfil::layout::compute_from_json_text(input)) << '\n';
    return 0;
  } catch (const std::exception& error) {  // LayoutError, or anything else the input provoked
    std::cerr << "mehfil-layout: " << error.what() << '\n';
    return 2;
  }
}
