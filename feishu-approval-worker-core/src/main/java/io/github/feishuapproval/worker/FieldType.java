package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.feishuapproval.feishu.FeishuOperation;
import java.math.BigDecimal;

/** How one process variable is read and checked before it goes to Feishu. */
public sealed interface FieldType {

  /** The value to send, or throws {@link InputProblem} saying what is wrong (never echoing the value). */
  Object read(JsonNode value);

  /** An id that becomes part of the request path: only {@code [0-9A-Za-z_-]}, a string or an integral number. */
  record PathId() implements FieldType {
    @Override
    public Object read(JsonNode value) {
      String id = Ids.text(value);
      if (id.length() > 128) throw new InputProblem("is " + id.length() + " characters long; at most 128 are allowed");
      if (!FeishuOperation.PATH_ID.matcher(id).matches()) {
        throw new InputProblem("may contain only 0-9, A-Z, a-z, '_' and '-'; found " + Ids.firstOffending(id));
      }
      return id;
    }
  }

  /** An id sent in the body, such as an aPaaS user id: a string or an integral number, rendered as exact digits. */
  record BodyId() implements FieldType {
    @Override
    public Object read(JsonNode value) {
      String id = Ids.text(value);
      if (id.length() > 128) throw new InputProblem("is " + id.length() + " characters long; at most 128 are allowed");
      if (id.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
        throw new InputProblem("may not contain spaces or control characters");
      }
      return id;
    }
  }

  /** Free text such as an opinion, bounded so a runaway expression cannot send megabytes. */
  record Text(int maxLength) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      if (!value.isTextual()) throw new InputProblem("must be a string, got " + Ids.typeOf(value));
      String text = value.textValue();
      int length = text.codePointCount(0, text.length());
      if (length > maxLength) {
        throw new InputProblem("is " + length + " characters long; at most " + maxLength + " are allowed");
      }
      return text;
    }
  }

  /** A list of body ids, each rendered as exact digits when it is a number. */
  record IdList(int minSize, int maxSize) implements FieldType {
    public IdList(int maxSize) {
      this(0, maxSize);
    }

    @Override
    public Object read(JsonNode value) {
      if (!value.isArray()) throw new InputProblem("must be a list, got " + Ids.typeOf(value));
      if (value.size() < minSize) {
        throw new InputProblem("has " + value.size() + " entries; at least " + minSize + " are needed");
      }
      if (value.size() > maxSize) {
        throw new InputProblem("has " + value.size() + " entries; at most " + maxSize + " are allowed");
      }
      java.util.List<String> ids = new java.util.ArrayList<>();
      FieldType element = new BodyId();
      for (int i = 0; i < value.size(); i++) {
        JsonNode entry = value.get(i);
        if (entry.isNull()) throw new InputProblem("[" + i + "] is null");
        try {
          ids.add((String) element.read(entry));
        } catch (InputProblem problem) {
          throw new InputProblem("[" + i + "] " + problem.getMessage());
        }
      }
      return ids;
    }
  }

  /** One of a fixed set of strings, compared exactly as Feishu spells them. */
  record OneOf(java.util.List<String> allowed) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      if (!value.isTextual()) throw new InputProblem("must be a string, got " + Ids.typeOf(value));
      if (!allowed.contains(value.textValue())) {
        throw new InputProblem("must be one of " + String.join(", ", allowed));
      }
      return value.textValue();
    }
  }

  /** A whole number in a range, given as a number or a string of digits, sent as a string as Feishu expects. */
  record WholeNumber(long min, long max) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      String digits = Ids.text(value);
      if (!digits.chars().allMatch(Character::isDigit)) throw new InputProblem("must be a whole number");
      java.math.BigInteger number = new java.math.BigInteger(digits);
      if (number.compareTo(java.math.BigInteger.valueOf(min)) < 0
          || number.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
        throw new InputProblem("must be between " + min + " and " + max);
      }
      return number.toString();
    }
  }

  /** An email address, checked only as far as its shape: one '@' with text either side, no spaces. */
  record Email() implements FieldType {
    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("[^\\s@]+@[^\\s@]+");

    @Override
    public Object read(JsonNode value) {
      if (!value.isTextual()) throw new InputProblem("must be a string, got " + Ids.typeOf(value));
      String email = value.textValue();
      if (email.length() > 254) throw new InputProblem("is " + email.length() + " characters long; at most 254 are allowed");
      if (!SHAPE.matcher(email).matches() || email.chars().anyMatch(Character::isISOControl)) {
        throw new InputProblem("must be an email address such as name@example.com");
      }
      return email;
    }
  }

  /** A true or false, as a boolean or as the text a template's dropdown writes. */
  record Flag() implements FieldType {
    @Override
    public Object read(JsonNode value) {
      if (value.isBoolean()) return value.booleanValue();
      if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
        return Boolean.valueOf(value.textValue());
      }
      throw new InputProblem("must be true or false, got " + Ids.typeOf(value));
    }
  }

  /**
   * A JSON object (a FEEL context) that Feishu takes as a JSON string, bounded so that a runaway expression cannot
   * send megabytes; numbers keep their exact digits.
   */
  record JsonObjectText(int maxLength) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      if (!value.isObject()) {
        throw new InputProblem("must be an object (a FEEL context such as {amount: 100}), got " + Ids.typeOf(value));
      }
      String text = value.toString();
      if (text.length() > maxLength) {
        throw new InputProblem("is " + text.length() + " characters long as JSON; at most " + maxLength + " are allowed");
      }
      return text;
    }
  }

  /**
   * A form (表单) as Feishu Approval wants it: a list of widgets {@code {id, type, value}}, sent as one JSON string.
   * Given as a list (a FEEL list of contexts), or as that JSON text already.
   */
  record FormWidgets(int maxWidgets, int maxCharacters) implements FieldType {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Object read(JsonNode value) {
      JsonNode widgets = value;
      if (value.isTextual()) {
        if (value.textValue().length() > maxCharacters) {
          throw new InputProblem("is " + value.textValue().length() + " characters long; at most " + maxCharacters
              + " are allowed");
        }
        try {
          widgets = JSON.readTree(value.textValue());
        } catch (java.io.IOException notJson) {
          throw new InputProblem("must be a list of widgets {id, type, value}, or that list as JSON text; the text is "
              + "not JSON");
        }
      }
      if (widgets == null || !widgets.isArray()) {
        throw new InputProblem("must be a list of widgets {id, type, value}, got " + Ids.typeOf(widgets == null
            ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : widgets));
      }
      if (widgets.size() > maxWidgets) {
        throw new InputProblem("has " + widgets.size() + " widgets; at most " + maxWidgets + " are allowed");
      }
      for (int i = 0; i < widgets.size(); i++) {
        JsonNode widget = widgets.get(i);
        if (!widget.isObject()) throw new InputProblem("[" + i + "] must be a widget {id, type, value}, got "
            + Ids.typeOf(widget));
        for (String key : java.util.List.of("id", "type")) {
          if (!widget.path(key).isTextual() || widget.path(key).textValue().isBlank()) {
            throw new InputProblem("[" + i + "] needs " + key + " as a non-blank string");
          }
        }
      }
      String text;
      try {
        text = JSON.writeValueAsString(widgets);
      } catch (java.io.IOException unwritable) {
        throw new InputProblem("cannot be written as JSON");
      }
      if (text.length() > maxCharacters) {
        throw new InputProblem("is " + text.length() + " characters long as JSON; at most " + maxCharacters
            + " are allowed");
      }
      return text;
    }
  }

  /** Users per approval node: a list of {@code {key, value}}, the node's key and a list of user ids. */
  record NodeUsers(int maxNodes, int maxUsers) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      if (!value.isArray()) throw new InputProblem("must be a list of {key, value}, got " + Ids.typeOf(value));
      if (value.size() > maxNodes) {
        throw new InputProblem("has " + value.size() + " nodes; at most " + maxNodes + " are allowed");
      }
      java.util.List<java.util.Map<String, Object>> nodes = new java.util.ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode node = value.get(i);
        if (!node.isObject()) throw new InputProblem("[" + i + "] must be {key, value}, got " + Ids.typeOf(node));
        try {
          if (node.path("key").isMissingNode() || node.path("key").isNull()) throw new InputProblem("key is missing");
          Object key = new BodyId().read(node.path("key"));
          Object users = new IdList(maxUsers).read(node.path("value"));
          nodes.add(java.util.Map.of("key", key, "value", users));
        } catch (InputProblem problem) {
          throw new InputProblem("[" + i + "] " + problem.getMessage());
        }
      }
      return nodes;
    }
  }

  /** One of a few numbers Feishu gives a meaning to, sent as a JSON number. */
  record NumberChoice(java.util.List<Integer> allowed) implements FieldType {
    @Override
    public Object read(JsonNode value) {
      String digits = Ids.text(value);
      if (!digits.matches("[0-9]{1,9}") || !allowed.contains(Integer.parseInt(digits))) {
        throw new InputProblem("must be one of " + allowed.stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(", ")));
      }
      return Integer.parseInt(digits);
    }
  }

  /** Feishu Approval's creation uuid: 1 to 64 of {@code [0-9A-Za-z_-]}, so that it can also name the instance. */
  record CreationUuid() implements FieldType {
    static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile("[0-9A-Za-z_-]{1,64}");

    @Override
    public Object read(JsonNode value) {
      String uuid = Ids.text(value);
      if (!UUID.matcher(uuid).matches()) {
        throw new InputProblem("must be 1 to 64 of 0-9, A-Z, a-z, '_' and '-'");
      }
      return uuid;
    }
  }

  /** Helpers shared by the id types. */
  final class Ids {
    private Ids() {}

    static String text(JsonNode value) {
      String id;
      if (value.isTextual()) {
        id = value.textValue();
      } else if (value.isIntegralNumber()) {
        id = value.bigIntegerValue().toString();
      } else if (value.isNumber()) {
        BigDecimal number = value.decimalValue().stripTrailingZeros();
        if (number.scale() > 0) throw new InputProblem("must be an integer or a string, got the fraction " + number.toPlainString());
        id = number.toBigIntegerExact().toString();
      } else {
        throw new InputProblem("must be a string or an integer, got " + typeOf(value));
      }
      if (id.isBlank()) throw new InputProblem("is blank");
      if (id.startsWith("-")) throw new InputProblem("may not be negative");
      return id;
    }

    static String typeOf(JsonNode value) {
      return switch (value.getNodeType()) {
        case ARRAY -> "a list";
        case OBJECT, POJO -> "an object";
        case BOOLEAN -> "a boolean";
        case NUMBER -> "a number";
        case STRING -> "a string";
        case BINARY -> "binary data";
        default -> "null";
      };
    }

    static String firstOffending(String id) {
      for (int i = 0; i < id.length(); i++) {
        char c = id.charAt(i);
        boolean allowed = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
        if (!allowed) {
          String shown = c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
          return shown + " at position " + (i + 1);
        }
      }
      return "nothing";
    }
  }
}
