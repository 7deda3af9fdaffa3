#pragma once
// Paints a QR code as whole-pixel squares with a quiet zone, so it stays
// sharp at any size the layout gives it (no image scaling).
//
// Thread rules: GUI thread (the scene graph calls paint() there for
// QQuickPaintedItem's Image target).

#include "kiosk/screenqr.h"

#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

class QrCodeItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_NAMED_ELEMENT(QrCode)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(int modules READ modules NOTIFY textChanged)

public:
    explicit QrCodeItem(QQuickItem* parent = nullptr);
    [[nodiscard]] QString text() const { return m_text; }
    void setText(const QString& text);
    [[nodiscard]] int modules() const { return m_matrix.size; }
    void paint(QPainter* painter) override;

Q_SIGNALS:
    void textChanged();

private:
    QString m_text;
    imhere::QrMatrix m_matrix;
};
