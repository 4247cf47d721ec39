// base/output_file: regular files atomically, devices and FIFOs in place,
// every write checked, an output that is its own input refused.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"

using namespace eqlab;

namespace {

std::vector<uint8_t> bytesOf(const std::string& s) {
    return {s.begin(), s.end()};
}

// A character device to write into: a fresh node in `dir` ("" where this
// process may not make one, or the folder's file system ignores device
// nodes). Never the system's own: as root, a broken OutputFile would replace
// /dev/null itself.
std::string deviceNode(const QTemporaryDir& dir, const char* name, unsigned major, unsigned minor) {
    const std::string node = dir.filePath(name).toStdString();
    if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(major, minor)) != 0) return "";
    const int fd = ::open(node.c_str(), O_WRONLY);  // a nodev mount refuses to open it
    if (fd < 0) return "";
    ::close(fd);
    return node;
}

bool isCharDevice(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

bool isFifo(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

}  // namespace

class TestOutputFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void regularFileIsReplacedOnlyOnCommit() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.txt").toStdString();
        writeFile(path, bytesOf("old"));
        {
            OutputFile out(path);
            QVERIFY(!out.inPlace());
            out.write(std::string("new text"));
            QCOMPARE(readFile(path), bytesOf("old"));  // not yet
        }                                              // no commit: the old file stays, no temporary is left
        QCOMPARE(readFile(path), bytesOf("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
        OutputFile out(path);
        out.write(std::string("new text"));
        out.commit();
        QCOMPARE(readFile(path), bytesOf("new text"));
        QCOMPARE(out.bytesWritten(), uint64_t(8));
    }

    void fifoIsWrittenInPlaceNotReplaced() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pipe").toStdString();
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        // The read end opens first (without blocking), so the write lands in the pipe's buffer.
        const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        writeFile(path, bytesOf("through the pipe"));
        char buf[64];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        ::close(fd);
        QCOMPARE(std::string(buf, size_t(std::max<ssize_t>(n, 0))), std::string("through the pipe"));
        QVERIFY(isFifo(path));  // still the FIFO, not a regular file in its place
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot).size(),
            1);
    }

    void deviceIsWrittenInPlace() {
        QTemporaryDir dir;
        const std::string null = deviceNode(dir, "null", 1, 3);
        if (null.empty()) QSKIP("cannot make a device node here (not root, or a nodev file system)");
        OutputFile out(null);
        QVERIFY(out.inPlace());
        out.write(std::string("gone"));
        out.commit();
        QVERIFY(isCharDevice(null));
    }

    void fullDeviceFailsLoudly() {
        QTemporaryDir dir;
        const std::string full = deviceNode(dir, "full", 1, 7);
        if (full.empty()) QSKIP("cannot make a device node here (not root, or a nodev file system)");
        try {
            writeFile(full, std::vector<uint8_t>(100, 'x'));
            QFAIL("a write to /dev/full succeeded");
        } catch (const IoError& e) {
            QVERIFY2(QString(e.what()).contains("No space left"), e.what());
        }
        QVERIFY(isCharDevice(full));
    }

    void outputThatIsTheInputIsRefused() {
        QTemporaryDir dir;
        const std::string in = dir.filePath("in.txt").toStdString();
        const std::string link = dir.filePath("link.txt").toStdString();
        writeFile(in, bytesOf("precious"));
        QCOMPARE(::symlink(in.c_str(), link.c_str()), 0);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, writeFile(in, bytesOf("x"), {in}));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, writeFile(link, bytesOf("x"), {in}));
        QCOMPARE(readFile(in), bytesOf("precious"));
        writeFile(dir.filePath("other.txt").toStdString(), bytesOf("x"), {in, "-"});  // another file is fine
    }

    void folderAndMissingFolderFail() {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(IoError, writeFile(dir.path().toStdString(), bytesOf("x")));
        QVERIFY_THROWS_EXCEPTION(IoError, writeFile(dir.filePath("no/such/dir/f").toStdString(), bytesOf("x")));
    }
};

QTEST_GUILESS_MAIN(TestOutputFile)
#include "tst_output_file.moc"
