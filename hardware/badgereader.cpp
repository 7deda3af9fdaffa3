#include "badgereader.h"

namespace {
// Lets BadgeRead travel through queued connections.
const int k_badgeReadType = qRegisterMetaType<imhere::hardware::BadgeRead>();
} // namespace
