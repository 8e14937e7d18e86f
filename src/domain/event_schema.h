// The bodies of the event types as data, for forms (GET /v1/event-types).
// Apart from rules.h so that the many files including that one do not
// depend on it.
#pragma once

#include <nlohmann/json.hpp>

namespace accord::domain {

// Every event type Decide() knows, with its body as the rule table declares
// it: an array of {"type", "subject_kind", "fields": [...]}, one field as
// {"name", "path" ("body.lines[].quantity"), "type" (string|text|integer|
// boolean|date|datetime|enum|country|currency|object|array), "required"},
// with "min" and "max" (integer: value; array: number of items), "values"
// (enum), "item" and "item_values" (array), "fields" (object, array of
// objects), and for integers named *_minor "unit": "money_minor" with
// "currency_field" (the path of the currency they count in), *_milli "unit":
// "milli", *_bp "unit": "basis_points". Types in name order; the same
// fields, paths and required flags as DescribeEventTypes().
nlohmann::json EventTypeSchemas();

}  // namespace accord::domain
