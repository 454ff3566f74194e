// src/store/schema.hpp — the store's schema as a list of migrations.
//
// migrations()[i] takes a file from user_version i to i + 1. Never edit a released
// migration: append a new one and raise store::k_schema_version.
#pragma once

#include <span>
#include <string_view>

namespace sysgrok::store {

std::span<const std::string_view> migrations();

} // namespace sysgrok::store
