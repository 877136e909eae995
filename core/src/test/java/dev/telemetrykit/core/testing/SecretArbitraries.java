package dev.telemetrykit.core.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated secrets of every kind core's redaction engine detects, for the leak property tests
 * of every module. Shipped in core's test jar; the using module adds {@code net.jqwik:jqwik} as
 * a test dependency.
 */
public final class SecretArbitraries {

  /**
   * A secret as it appears in free text ({@link #text}), and the part of it that must never be
   * printed ({@link #needle}).
   */
  public record Secret(String kind, String text, String needle) {

    /**
     * Every form in which a leak of this secret would show: the needle, the text as sent when
     * it differs (a card with separators), and their percent-encoded forms (paths and query
     * strings are often recorded raw).
     */
    public List<String> forms() {
      Set<String> out = new LinkedHashSet<>();
      out.add(needle);
      if (kind.equals("card")) {
        out.add(text);
      }
      for (String s : List.copyOf(out)) {
        out.add(urlEncode(s));
      }
      return new ArrayList<>(out);
    }

    /** The text on one line, as a header value can carry it (PEM line breaks become spaces). */
    public String oneLine() {
      return text.replace('\n', ' ');
    }

    @Override
    public String toString() {
      return kind + ": " + text;
    }
  }

  private SecretArbitraries() {}

  /** Percent-encoding as a path segment or query value: spaces as {@code %20}, not {@code +}. */
  public static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Every detector kind: bearer and basic credentials, JWTs, AWS access key IDs and secret
   * keys, PEM private keys, prefixed API tokens, card numbers (Luhn-valid, 13 to 19 digits,
   * with or without separators), {@code key=value} pairs with sensitive keys, URL passwords,
   * and — when {@code emails} — e-mail addresses (detected only with
   * {@code TELEMETRYKIT_REDACT_EMAILS=true}).
   */
  public static Arbitrary<Secret> secrets(boolean emails) {
    return Arbitraries.oneOf(everyKind(emails));
  }

  /**
   * One arbitrary per detector kind, in a fixed order, for tests that must cover every kind in
   * a few tries (combine them, then pick one per try) rather than rely on a random mix.
   */
  public static List<Arbitrary<Secret>> everyKind(boolean emails) {
    Arbitrary<Secret> bearer = alnum(16, 40).map(t -> new Secret("bearer", "Bearer " + t, t));
    Arbitrary<Secret> basic = Combinators.combine(alnum(3, 12), alnum(8, 20)).as((u, p) -> {
      String b64 = Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
      return new Secret("basic", "Authorization: Basic " + b64, b64);
    });
    Arbitrary<Secret> jwt = Combinators.combine(b64url(10, 40), b64url(10, 80), b64url(10, 43))
        .as((h, p, s) -> {
          String token = "eyJ" + h + "." + "eyJ" + p + "." + s;
          return new Secret("jwt", token, token);
        });
    Arbitrary<Secret> aws = Arbitraries.of("AKIA", "ASIA").flatMap(prefix -> upperAlnum(16)
        .map(rest -> new Secret("aws", prefix + rest, prefix + rest)));
    Arbitrary<Secret> awsSecret = alnum(40, 40).map(k ->
        new Secret("aws-secret", "aws_secret_access_key=" + k, k));
    Arbitrary<Secret> pem = alnum(64, 64).map(body -> new Secret("pem",
        "-----BEGIN PRIVATE KEY-----\n" + body + "\n" + body + "\n-----END PRIVATE KEY-----", body));
    Arbitrary<Secret> prefixed = Combinators.combine(
        Arbitraries.of("sk_live_", "sk_test_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-"),
        alnum(24, 40)).as((p, t) -> new Secret("token", p + t, p + t));
    Arbitrary<Secret> card = Combinators.combine(
        Arbitraries.of("4", "51", "55", "37", "6011"), Arbitraries.strings().numeric().ofLength(18),
        Arbitraries.of(13, 15, 16, 19), Arbitraries.of("", " ", "-")).as(SecretArbitraries::card);
    Arbitrary<Secret> keyValue = Combinators.combine(
        Arbitraries.of("password", "client_secret", "accessToken", "X-Api-Key", "private_key",
            "refresh-token", "authorization", "PASSWD", "id_token"),
        Arbitraries.of("=", ": ", "\":\"", "='"), alnum(10, 24))
        .as((k, sep, v) -> new Secret("key-value", k + sep + v + (sep.contains("'") ? "'" : ""), v));
    Arbitrary<Secret> url = Combinators.combine(alnum(3, 10), alnum(10, 24)).as((u, p) ->
        new Secret("url", "jdbc:postgresql://" + u + ":" + p + "@db.internal:5432/app", p));
    List<Arbitrary<Secret>> kinds = new ArrayList<>(List.of(bearer, basic, jwt, aws, awsSecret,
        pem, prefixed, card, keyValue, url));
    if (!emails) {
      return kinds;
    }
    Arbitrary<Secret> email = Combinators.combine(lowerAlnum(4, 16), lowerAlnum(3, 12),
        Arbitraries.of("com", "org", "io", "co.uk")).as((local, domain, tld) -> {
          String address = local + "@" + domain + "." + tld;
          return new Secret("email", address, address);
        });
    kinds.add(email);
    return kinds;
  }

  private static Arbitrary<String> alnum(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').ofMinLength(min).ofMaxLength(max)
        .filter(s -> s.chars().anyMatch(Character::isDigit));
  }

  private static Arbitrary<String> lowerAlnum(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
        .ofMinLength(min).ofMaxLength(max).filter(s -> Character.isLetter(s.charAt(0)));
  }

  private static Arbitrary<String> upperAlnum(int length) {
    return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(length);
  }

  private static Arbitrary<String> b64url(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars("-_").ofMinLength(min).ofMaxLength(max);
  }

  /** {@code digits} followed by their Luhn check digit: a valid card number when 12–18 long. */
  public static String withLuhnCheckDigit(String digits) {
    int sum = 0;
    boolean dbl = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return digits + (10 - sum % 10) % 10;
  }

  private static Secret card(String prefix, String random, int length, String separator) {
    StringBuilder digits = new StringBuilder(prefix).append(random);
    digits.setLength(length - 1);
    String plain = withLuhnCheckDigit(digits.toString());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < plain.length(); i++) {
      if (i > 0 && i % 4 == 0 && !separator.isEmpty()) {
        text.append(separator);
      }
      text.append(plain.charAt(i));
    }
    return new Secret("card", text.toString(), plain);
  }
}
