/// Numbers: stepping over them, and reading them as the nearest `Float`.
extension JSONCursor {
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Whether a number starts with this byte: the common case, read without a dispatch.
    @inline(__always)
    static func startsNumber(_ byte: UInt8) -> Bool { isDigit(byte) || byte == UInt8(ascii: "-") }

    /// Steps over a run of digits, eight bytes at a time where it can.
    @inline(__always)
    mutating func skipDigits() {
        let raw = UnsafeRawPointer(base)
        while end - index >= 8 {
            let run = EightDigits.leadingDigitCount(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += run
            if run < 8 { return }
        }
        while JSONCursor.isDigit(current) { index += 1 }
    }

    /// Consumes a run of digits (at least one is current), appending up to 19 in all to
    /// `mantissa`; the rest are dropped, `isTruncated` noting any that is not zero. Reads eight
    /// bytes at a time where it can, which avoids a mispredicted branch at the end of each number.
    @inline(__always)
    mutating func appendDigits(to mantissa: inout UInt64, used: inout Int, isTruncated: inout Bool) -> (appended: Int, dropped: Int) {
        var appended = 0
        let raw = UnsafeRawPointer(base)
        while end - index >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let run = EightDigits.leadingDigitCount(word)
            guard used + run <= 19 else { break }
            mantissa = mantissa &* EightDigits.powerOfTen(run) &+ EightDigits.value(word, count: run)
            used += run
            appended += run
            index += run
            if run < 8 { return (appended, 0) }
        }
        var dropped = 0
        while JSONCursor.isDigit(current) {
            let digit = current &- UInt8(ascii: "0")
            if used < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                used += 1
                appended += 1
            } else {
                dropped += 1
                isTruncated = isTruncated || digit != 0
            }
            index += 1
        }
        return (appended, dropped)
    }

    /// Steps over a number whose first byte (`-` or a digit) is current, checking its grammar.
    mutating func skipNumber() throws(FeatureDecodingError) {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit") }
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit after '.'") }
            skipDigits()
        }
        if current | 0x20 == UInt8(ascii: "e") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit in the exponent") }
            repeat { index += 1 } while JSONCursor.isDigit(current)
        }
    }

    /// The common number — up to seven integer digits, then optionally a point and one to fifteen
    /// fraction digits, nineteen digits at most, no exponent — read with one word load per eight
    /// digits and no loop, when at least sixteen bytes follow its sign (twenty-four for more than
    /// seven fraction digits). `nil`, with the cursor unmoved, for anything else (longer numbers,
    /// exponents, errors, the end of the payload), which ``readAnyFloat()`` reads.
    @inline(__always)
    mutating func readShortDecimal() -> Float? {
        let isNegative = base[index] == UInt8(ascii: "-")
        var position = index &+ (isNegative ? 1 : 0)
        guard end &- position >= 16 else { return nil }
        let raw = UnsafeRawPointer(base)
        let integerWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        let integerDigits = EightDigits.leadingDigitCount(integerWord)
        // A leading zero must stand alone; the general path reports it.
        guard integerDigits > 0, integerDigits < 8, integerDigits == 1 || base[position] != UInt8(ascii: "0") else { return nil }
        var mantissa = EightDigits.value(integerWord, count: integerDigits)
        var exponent = 0
        position &+= integerDigits
        if base[position] == UInt8(ascii: ".") {
            position &+= 1
            let fractionWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            var fractionDigits = EightDigits.leadingDigitCount(fractionWord)
            guard fractionDigits > 0 else { return nil }
            mantissa = mantissa &* EightDigits.powerOfTen(fractionDigits) &+ EightDigits.value(fractionWord, count: fractionDigits)
            if fractionDigits == 8 {
                guard end &- position >= 16 else { return nil }
                let moreWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position &+ 8, as: UInt64.self))
                let moreDigits = EightDigits.leadingDigitCount(moreWord)
                // Nineteen digits fit the mantissa; longer numbers take the general path.
                guard moreDigits < 8, integerDigits &+ 8 &+ moreDigits <= 19 else { return nil }
                mantissa = mantissa &* EightDigits.powerOfTen(moreDigits) &+ EightDigits.value(moreWord, count: moreDigits)
                fractionDigits &+= moreDigits
            }
            exponent = -fractionDigits
            position &+= fractionDigits
        }
        guard base[position] | 0x20 != UInt8(ascii: "e"),
              let value = DecimalToFloat.fastPath(mantissa: mantissa, exponent: exponent) else { return nil }
        index = position
        return isNegative ? -value : value
    }

    /// Reads a number whose first byte (`-` or a digit) is current, any the JSON grammar allows,
    /// rounded to the nearest `Float` (ties to even) as `Float(String)` would; a number that rounds
    /// to ±infinity is an `out_of_range` error.
    mutating func readAnyFloat() throws(FeatureDecodingError) -> Float {
        let start = index
        let isNegative = current == UInt8(ascii: "-")
        index &+= isNegative ? 1 : 0
        var mantissa: UInt64 = 0
        var used = 0
        var exponent = 0
        var isTruncated = false
        let first = current
        guard JSONCursor.isDigit(first) else { throw unexpected("a digit") }
        let integer = appendDigits(to: &mantissa, used: &used, isTruncated: &isTruncated)
        if first == UInt8(ascii: "0"), integer.appended + integer.dropped > 1 {
            index = index - integer.appended - integer.dropped + 1
            throw invalid(unexpected: "after a leading zero")
        }
        exponent += integer.dropped
        var byte = current
        if byte == UInt8(ascii: ".") {
            index += 1
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit after '.'") }
            let count = appendDigits(to: &mantissa, used: &used, isTruncated: &isTruncated)
            exponent -= count.appended
            byte = current
        }
        if byte | 0x20 == UInt8(ascii: "e") {
            index += 1
            var isExponentNegative = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
                isExponentNegative = current == UInt8(ascii: "-")
                index += 1
            }
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit in the exponent") }
            var written = 0
            repeat {
                if written < 100_000 { written = written * 10 + Int(current &- UInt8(ascii: "0")) }
                index += 1
            } while JSONCursor.isDigit(current)
            exponent += isExponentNegative ? -written : written
        }
        if !isTruncated, let value = DecimalToFloat.fastPath(mantissa: mantissa, exponent: exponent) {
            return isNegative ? -value : value
        }
        let text = UnsafeBufferPointer(start: base + start, count: index - start)
        let value = DecimalToFloat.slowPath(text)
        guard value.isFinite else { throw outOfRange(text, at: start) }
        return value
    }

    /// `out_of_range` for the number `text` at `offset`, with the whole event as its path: the
    /// decoder names the feature.
    @inline(never)
    func outOfRange(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> FeatureDecodingError {
        let shown = text.count <= 24 ? String(decoding: text, as: UTF8.self) : "\(String(decoding: text.prefix(24), as: UTF8.self))… (\(text.count) bytes)"
        return FeatureDecodingError(.outOfRange, path: "$", offset: offset, detail: "\(shown) is beyond the range of a 32-bit float (±3.4028235e38)")
    }

    /// The value of a number's text when it is a plain integer (``isPlainInteger(_:)``) within
    /// Int64's range, read exactly; `nil` for anything else.
    static func plainInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard isPlainInteger(text) else { return nil }
        let isNegative = text.first == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for digit in text.dropFirst(isNegative ? 1 : 0) {
            let (times10, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carried) = times10.addingReportingOverflow(UInt64(digit &- UInt8(ascii: "0")))
            guard !overflowed, !carried else { return nil }
            magnitude = sum
        }
        if isNegative { return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Whether a number's text is an optional `-` and digits only: no fraction, no exponent.
    static func isPlainInteger(_ text: UnsafeRawBufferPointer) -> Bool {
        let digits = text.dropFirst(text.first == UInt8(ascii: "-") ? 1 : 0)
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }
}
