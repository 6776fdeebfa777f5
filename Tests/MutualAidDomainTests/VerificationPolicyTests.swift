import Foundation
import MutualAidDomain
import Testing

/// The rules of SMS codes: how long one lives, how many tries it takes, how often one is sent.
@Suite struct VerificationPolicyTests {
    let policy = VerificationPolicy()
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func counter(_ count: Int, started: TimeInterval, last: TimeInterval) -> VerificationPolicy.Counter {
        .init(count: count, windowStart: t0.addingTimeInterval(started), lastSent: t0.addingTimeInterval(last))
    }

    @Test func aPersonWaitsAMinuteBetweenCodesAndFiveAnHour() {
        let now = t0.addingTimeInterval(600)
        #expect(policy.decide(person: nil, mobile: nil, address: nil, now: now) == .allow)
        #expect(
            policy.decide(person: counter(1, started: 0, last: 580), mobile: nil, address: nil, now: now)
                == .wait(seconds: 40))
        #expect(policy.decide(person: counter(4, started: 0, last: 500), mobile: nil, address: nil, now: now) == .allow)
        #expect(
            policy.decide(person: counter(5, started: 0, last: 500), mobile: nil, address: nil, now: now)
                == .wait(seconds: 3000))
        // The same limit for a mobile; twenty for an address.
        #expect(
            policy.decide(person: nil, mobile: counter(5, started: 0, last: 0), address: nil, now: now)
                == .wait(seconds: 3000))
        #expect(
            policy.decide(person: nil, mobile: nil, address: counter(19, started: 0, last: 599), now: now) == .allow)
        #expect(
            policy.decide(person: nil, mobile: nil, address: counter(20, started: 0, last: 599), now: now)
                == .wait(seconds: 3000))
        // A window that has passed counts no more.
        #expect(
            policy.decide(person: counter(9, started: -3600, last: -3000), mobile: nil, address: nil, now: now)
                == .allow)
    }

    @Test func countingStartsANewWindowOnceTheOldOneHasPassed() {
        let first = policy.counting(nil, now: t0)
        #expect(first == counter(1, started: 0, last: 0))
        let second = policy.counting(first, now: t0.addingTimeInterval(100))
        #expect(second == counter(2, started: 0, last: 100))
        #expect(policy.counting(second, now: t0.addingTimeInterval(3600)) == counter(1, started: 3600, last: 3600))
    }

    @Test func aCodeIsValidFiveMinutesAndVoidAfterFiveWrongTries() {
        let expires = t0.addingTimeInterval(policy.validity)
        #expect(policy.validity == 300 && policy.maxAttempts == 5)
        #expect(policy.check(matches: true, attempts: 0, expiresAt: expires, now: t0.addingTimeInterval(299)) == .valid)
        #expect(policy.check(matches: true, attempts: 0, expiresAt: expires, now: expires) == .expired)
        #expect(policy.check(matches: false, attempts: 0, expiresAt: expires, now: t0) == .wrong(remaining: 4))
        #expect(policy.check(matches: false, attempts: 4, expiresAt: expires, now: t0) == .wrong(remaining: 0))
        // After five wrong tries even the right code does not do.
        #expect(policy.check(matches: true, attempts: 5, expiresAt: expires, now: t0) == .missing)
    }

    @Test func codesAreSixDigitsAndTypedSpacesAreIgnored() {
        for _ in 0..<200 {
            let code = VerificationPolicy.newCode()
            #expect(VerificationPolicy.normalizedCode(code) == code)
        }
        #expect(VerificationPolicy.normalizedCode(" 012 345 ") == "012345")
        #expect(VerificationPolicy.normalizedCode("12345") == nil)
        #expect(VerificationPolicy.normalizedCode("１２３４５６") == nil)
        #expect(VerificationPolicy.normalizedCode("12345a") == nil)
        #expect(
            VerificationPolicy.waitText(seconds: 45) == "45 秒" && VerificationPolicy.waitText(seconds: 61) == "2 分钟")
    }

    @Test func mobilesAreMaskedAndIdNumberLoginsUpperCased() {
        #expect(MobileMask.masked("13909162001") == "139****2001")
        #expect(LoginName.normalized(" 61100219920214002x ") == "61100219920214002X")
        #expect(LoginName.normalized("zhangwei") == "zhangwei")
    }
}
