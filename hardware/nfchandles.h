#pragma once
// RAII for libnfc's context and device handles.

#include <nfc/nfc.h>

#include <memory>

namespace imhere::hardware {

struct NfcContextClose {
    void operator()(nfc_context* context) const { nfc_exit(context); }
};
struct NfcDeviceClose {
    void operator()(nfc_device* device) const { nfc_close(device); }
};
using NfcContextPtr = std::unique_ptr<nfc_context, NfcContextClose>;
using NfcDevicePtr = std::unique_ptr<nfc_device, NfcDeviceClose>;

} // namespace imhere::hardware
