import Testing
@testable import SluiceKafka

@Test func linksAgainstLibrdkafkaTwo() {
    #expect(Librdkafka.version.hasPrefix("2."))
}
