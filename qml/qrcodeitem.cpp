#include "qrcodeitem.h"

#include <QPainter>

#include <cmath>

QrCodeItem::QrCodeItem(QQuickItem* parent) : QQuickPaintedItem(parent)
{
    setAntialiasing(false);
    setOpaquePainting(true);
    setFillColor(Qt::white);
}

void QrCodeItem::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_matrix = imhere::kiosk::screenQr(text);
    Q_EMIT textChanged();
    update();
}

void QrCodeItem::paint(QPainter* painter)
{
    if (m_matrix.size == 0)
        return;
    constexpr int k_quietZoneModules = imhere::QrMatrix::k_quietZoneModules;
    const int side = static_cast<int>(std::floor(std::min(width(), height())));
    const int total = m_matrix.size + 2 * k_quietZoneModules;
    const int module = std::max(1, side / total); // whole pixels: no blurred edges
    const int drawn = module * total;
    const int left = (static_cast<int>(width()) - drawn) / 2 + module * k_quietZoneModules;
    const int top = (static_cast<int>(height()) - drawn) / 2 + module * k_quietZoneModules;
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (int y = 0; y < m_matrix.size; ++y) {
        for (int x = 0; x < m_matrix.size; ++x) {
            if (m_matrix.at(x, y))
                painter->fillRect(left + x * module, top + y * module, module, module, Qt::black);
        }
    }
}
