// Fuzzes the Loghub header-template parser with the 12 Loghub formats: the first byte
// picks the format, the rest are the records.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz_parse_util.hpp"

namespace {

constexpr std::array<const char*, 12> k_formats{
    "<Date> <Time> <Pid> <Level> <Component>: <Content>",
    "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>",
    "<Date> <Time> <Level> <Component>: <Content>",
    "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>",
    "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
    "<Date> <Time>, <Level>                  <Component>    <Content>",
    "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>",
    "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
    "\\[<Time>\\] \\[<Level>\\] <Content>",
    "\\[<Time>\\] <Program> - <Content>",
    "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>",
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto parsers = [] {
        std::array<std::unique_ptr<sysgrok::parse::parser>, k_formats.size()> ps;
        for (size_t i = 0; i < k_formats.size(); ++i) {
            ps[i] = std::move(sysgrok::parse::make_header_parser(k_formats[i]).value());
        }
        return ps;
    }();
    if (size == 0) {
        return 0;
    }
    sysgrok::parse::fuzzing::run_parser(*parsers[data[0] % parsers.size()], data + 1, size - 1);
    return 0;
}
