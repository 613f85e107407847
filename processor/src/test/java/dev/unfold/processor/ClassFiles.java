package dev.unfold.processor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads just enough of the class file format (JVMS §4) for two checks, without a bytecode
 * library: each method's bytecode length, to hold generated methods under HotSpot's 8000-byte
 * limit for JIT compilation; and the packages a class refers to, to check a jar's OSGi imports.
 */
final class ClassFiles {
    private ClassFiles() {}

    /** Class names in descriptors and signatures: {@code Ljava/util/List;}. */
    private static final Pattern DESCRIBED_CLASS = Pattern.compile("L([A-Za-z_$][\\w$]*(?:/[A-Za-z_$][\\w$]*)+)[;<]");

    /** The packages (dotted) of every class the class file names, its own included. */
    static Set<String> referencedPackages(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            ConstantPool pool = readConstantPool(in);
            Set<String> packages = new TreeSet<>();
            for (int index : pool.classNames()) {
                String name = pool.utf8()[index];
                if (name.startsWith("[")) {
                    addDescribed(name, packages);
                } else if (name.contains("/")) {
                    packages.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
                }
            }
            for (String text : pool.utf8()) {
                if (text != null) {
                    addDescribed(text, packages);
                }
            }
            return packages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addDescribed(String text, Set<String> packages) {
        Matcher matcher = DESCRIBED_CLASS.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            packages.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
        }
    }

    /** Method name and descriptor → length of its bytecode; abstract methods are absent. */
    static Map<String, Integer> codeLengths(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            String[] utf8 = readConstantPool(in).utf8();
            in.readUnsignedShort(); // access flags
            in.readUnsignedShort(); // this class
            in.readUnsignedShort(); // super class
            in.skipBytes(2 * in.readUnsignedShort()); // interfaces
            int fields = in.readUnsignedShort();
            for (int f = 0; f < fields; f++) {
                in.skipBytes(6);
                skipAttributes(in);
            }
            Map<String, Integer> lengths = new LinkedHashMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.readUnsignedShort(); // access flags
                String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        in.readUnsignedShort(); // max stack
                        in.readUnsignedShort(); // max locals
                        int codeLength = in.readInt();
                        lengths.put(name, codeLength);
                        in.skipBytes(length - 8);
                    } else {
                        in.skipBytes(length);
                    }
                }
            }
            return lengths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The constant pool's strings by index, and the indices of the strings that name classes. */
    private record ConstantPool(String[] utf8, List<Integer> classNames) {}

    private static ConstantPool readConstantPool(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.skipBytes(4); // Integer, Float
                case 5, 6 -> { in.skipBytes(8); i++; } // Long, Double take two slots
                case 7 -> classNames.add(in.readUnsignedShort()); // Class
                case 8, 16, 19, 20 -> in.skipBytes(2); // String, MethodType, Module, Package
                case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // refs, NameAndType, Dynamic, InvokeDynamic
                case 15 -> in.skipBytes(3); // MethodHandle
                default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
            }
        }
        return new ConstantPool(utf8, classNames);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }
}
