#include "param_modes.h"

#include "test_util.h"

#include <cstring>
#include <elf.h>
#include <stdexcept>
#include <vector>

namespace kecho::ctl::test {

namespace {

// struct kernel_param on a 64-bit kernel: name, mod and ops pointers, then
// u16 perm, s8 level, u8 flags, padding and the arg union.
constexpr std::size_t kParamSize = 40;
constexpr std::size_t kPermOffset = 24;

class Elf {
  public:
    explicit Elf(const std::string& path) : path_(path), bytes_(read_binary(path)) {
        if (bytes_.size() < sizeof(Elf64_Ehdr) || std::memcmp(bytes_.data(), ELFMAG, SELFMAG) != 0)
            fail("not an ELF file");
        const auto ehdr = at<Elf64_Ehdr>(0);
        if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
            fail("not a little-endian ELF64 file");
        for (std::size_t i = 0; i < ehdr.e_shnum; ++i)
            sections_.push_back(at<Elf64_Shdr>(ehdr.e_shoff + i * ehdr.e_shentsize));
        shstrndx_ = ehdr.e_shstrndx;
    }

    template <typename T> [[nodiscard]] T at(std::size_t offset) const {
        if (offset + sizeof(T) > bytes_.size())
            fail("truncated");
        T out;
        std::memcpy(&out, bytes_.data() + offset, sizeof(T));
        return out;
    }

    [[nodiscard]] std::string string_at(std::size_t offset) const {
        if (offset >= bytes_.size())
            fail("string out of the file");
        const auto* start = reinterpret_cast<const char*>(bytes_.data() + offset);
        return {start, ::strnlen(start, bytes_.size() - offset)};
    }

    [[nodiscard]] const std::vector<Elf64_Shdr>& sections() const { return sections_; }

    [[nodiscard]] std::string section_name(const Elf64_Shdr& s) const {
        return string_at(sections_.at(shstrndx_).sh_offset + s.sh_name);
    }

    [[noreturn]] void fail(const std::string& why) const {
        throw std::runtime_error(path_ + ": " + why);
    }

  private:
    std::string path_;
    std::vector<unsigned char> bytes_;
    std::vector<Elf64_Shdr> sections_;
    std::size_t shstrndx_ = 0;
};

} // namespace

std::map<std::string, unsigned> module_param_modes(const std::string& path) {
    const Elf elf(path);
    const auto& sections = elf.sections();
    std::size_t param = sections.size();
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (elf.section_name(sections[i]) == "__param")
            param = i;
    if (param == sections.size())
        elf.fail("no __param section (a module without parameters?)");
    const Elf64_Shdr& params = sections[param];
    if (params.sh_size % kParamSize != 0)
        elf.fail("__param is not a whole number of struct kernel_param");

    std::map<std::string, unsigned> out;
    for (const auto& rela : sections) {
        if (rela.sh_type != SHT_RELA || rela.sh_info != param)
            continue;
        const Elf64_Shdr& symtab = sections.at(rela.sh_link);
        for (std::size_t off = 0; off + sizeof(Elf64_Rela) <= rela.sh_size;
             off += sizeof(Elf64_Rela)) {
            const auto r = elf.at<Elf64_Rela>(rela.sh_offset + off);
            if (r.r_offset % kParamSize != 0) // only each entry's name pointer
                continue;
            const auto sym =
                elf.at<Elf64_Sym>(symtab.sh_offset + ELF64_R_SYM(r.r_info) * sizeof(Elf64_Sym));
            const Elf64_Shdr& target = sections.at(sym.st_shndx);
            const std::string name = elf.string_at(target.sh_offset + sym.st_value +
                                                   static_cast<std::uint64_t>(r.r_addend));
            out[name] = elf.at<std::uint16_t>(params.sh_offset + r.r_offset + kPermOffset);
        }
    }
    if (out.size() != params.sh_size / kParamSize)
        elf.fail("not every parameter's name has a relocation");
    return out;
}

} // namespace kecho::ctl::test
