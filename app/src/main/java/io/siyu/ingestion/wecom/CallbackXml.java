package io.siyu.ingestion.wecom;

import io.siyu.platform.InvalidInput;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads WeCom's flat callback XML with every DTD refused. WeCom never sends a DOCTYPE; a body with
 * one is an XXE or entity-expansion attempt, and the outer body is read before any signature can
 * be checked. The decrypted message goes through here too before WxJava's XStream parses it, so
 * its safety does not rest on how XStream's driver treats entities.
 */
final class CallbackXml {

    private static final XMLInputFactory FACTORY = hardened();

    private CallbackXml() {}

    /**
     * The text of each child of the root element; nested elements are left out.
     *
     * @param field how the XML is named in errors ({@code body}, {@code Encrypt})
     * @throws InvalidInput with rule {@code doctype} for any DTD, {@code xml} when not well-formed
     */
    static Map<String, String> fields(String xml, String field) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(xml));
            int depth = 0;
            String name = "";
            StringBuilder text = new StringBuilder();
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD -> throw new InvalidInput(field, "doctype",
                            field + " must not declare a DOCTYPE: WeCom sends none, and DTDs carry XXE attacks");
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        if (depth == 2) {
                            name = reader.getLocalName();
                            text.setLength(0);
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (depth == 2) {
                            text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (depth == 2) {
                            fields.putIfAbsent(name, text.toString().trim());
                        }
                        depth--;
                    }
                    default -> {
                        // comments, processing instructions, whitespace: nothing WeCom means
                    }
                }
            }
            reader.close();
        } catch (XMLStreamException e) {
            // StAX puts the position on the first line and the reason on the last
            String reason = e.getMessage() == null ? "unreadable" : e.getMessage().lines().reduce((a, b) -> b).orElse("");
            throw new InvalidInput(field, "xml", field + " is not well-formed XML: " + reason);
        }
        return fields;
    }

    /**
     * Refuses what {@link #fields} refuses, for XML that another parser reads next.
     *
     * @throws InvalidInput with rule {@code doctype} or {@code xml}
     */
    static void requireSafe(String xml, String field) {
        fields(xml, field);
    }

    private static XMLInputFactory hardened() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory;
    }
}
