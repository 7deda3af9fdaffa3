#pragma once
// The org admin pages (DESIGN §3 "admin"): every course, every
// person, every kiosk. Only org admins see them or post their forms; anyone
// else signed in gets 403 (teachers included), and nobody signed in is sent
// to sign in. What they change goes through the services shared with the
// JSON API and the command line.

#include "pages.h"

#include <string>
#include <utility>
#include <vector>

namespace imhere::server {

void addAdminPeoplePages(Router& router, Services& services);
void addAdminKioskPages(Router& router, Services& services);

// The signed-in org admin; forbidden for anyone else.
[[nodiscard]] Result<Caller> requireAdmin(Services& services, const Request& request);
// A form post (signedInPost) from an org admin; forbidden for anyone else.
[[nodiscard]] Result<FormPost> adminPost(Services& services, const Request& request);

// The page frame with the admin sections as a second navigation;
// `section` is the href of the section the page belongs to.
[[nodiscard]] web::PageFrame adminFrame(const Caller& caller, std::string title, const std::string& section);

using FieldErrors = std::vector<std::pair<std::string, std::string>>;
[[nodiscard]] std::string errorFor(const FieldErrors& errors, const std::string& field);
// A service's "field: message" refusal as a (field, Message) pair for a form.
[[nodiscard]] std::pair<std::string, std::string> fieldError(const Error& error);
// "Message." from a service's lower-case message.
[[nodiscard]] std::string sentence(std::string message);

} // namespace imhere::server
