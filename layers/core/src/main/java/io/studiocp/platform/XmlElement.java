package io.studiocp.platform;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An XML answer read with the JDK's StAX reader into a small tree: each element's local name, its
 * text and its child elements in order (attributes and namespaces are not kept; AWS's query
 * answers use neither for data).
 */
public final class XmlElement {

  private static final XMLInputFactory FACTORY = factory();

  private final String name;
  private final StringBuilder text = new StringBuilder();
  private final List<XmlElement> children = new ArrayList<>();

  private XmlElement(String name) {
    this.name = name;
  }

  /**
   * Parses a document; an empty one is an empty element named {@code empty}.
   *
   * @throws XMLStreamException when it is not well-formed XML
   */
  public static XmlElement parse(byte[] document) throws XMLStreamException {
    if (document.length == 0) {
      return new XmlElement("empty");
    }
    XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(document));
    try {
      List<XmlElement> open = new ArrayList<>();
      XmlElement root = null;
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamReader.START_ELEMENT -> {
            XmlElement element = new XmlElement(reader.getLocalName());
            if (open.isEmpty()) {
              root = element;
            } else {
              open.getLast().children.add(element);
            }
            open.add(element);
          }
          case XMLStreamReader.CHARACTERS, XMLStreamReader.CDATA -> {
            if (!open.isEmpty()) {
              open.getLast().text.append(reader.getText());
            }
          }
          case XMLStreamReader.END_ELEMENT -> open.removeLast();
          default -> { }
        }
      }
      return root == null ? new XmlElement("empty") : root;
    } finally {
      reader.close();
    }
  }

  public String name() {
    return name;
  }

  /** The element's own text, trimmed. */
  public String text() {
    return text.toString().trim();
  }

  /** The first child element of that name. */
  public Optional<XmlElement> child(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).findFirst();
  }

  /** The text of the first child of that name, or null when there is none. */
  public String text(String childName) {
    return child(childName).map(XmlElement::text).orElse(null);
  }

  /**
   * The {@code item}s of the list named {@code listName} (AWS's query lists:
   * {@code <listName><item>..</item></listName>}); none when the list is absent.
   */
  public List<XmlElement> items(String listName) {
    return child(listName).map(list -> list.children.stream().filter(c -> c.name.equals("item")).toList())
        .orElse(List.of());
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // Answers are data: no DTDs, no external entities.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }
}
