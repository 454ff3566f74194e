// Compiled into every stage library so that a stage whose folder holds only
// headers still forms a valid static library target.
namespace sysgrok::detail {
[[maybe_unused]] static int stage_anchor = 0;
} // namespace sysgrok::detail
