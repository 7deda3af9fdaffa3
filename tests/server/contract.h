#pragma once
// Every answer an HTTP test receives is held against docs/openapi.yaml: the
// status must be one the document declares for the operation, the
// Content-Type one of its media types, and a JSON body must validate against
// its schema (Ajv, JSON Schema 2020-12: tests/contract/contract.mjs). The
// checker is one Node process per test program, started on first use.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace imhere::test::contract {

struct Answer {
    std::string method;
    std::string path; // as sent, with its query
    long status = 0;
    std::string contentType;
    std::string body;
    std::vector<std::string> headers;
};

// What is wrong with the answer; empty when it holds.
[[nodiscard]] std::vector<std::string> check(const Answer& answer);

// Checks the answer and fails the running Qt Test with each error. Called
// off the test's thread, the errors are kept and reported by the next call
// on it, or at exit.
void hold(const Answer& answer);

// {"routes": [...]} and {"tries": [...]} from the document (check-server.mjs).
[[nodiscard]] nlohmann::json ask(const nlohmann::json& request);

} // namespace imhere::test::contract
