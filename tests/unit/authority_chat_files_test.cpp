// Which files a room's chat takes (authority/chat_files.h): the type read from the bytes, the
// claimed type or the name's extension, the groups the server allows, the caps. Who may share and
// fetch them is the room's (authority_room_test.cpp).
#include <catch2/catch.hpp>

#include "authority/chat_files.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;

namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string kPdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
const std::string kZip("PK\x03\x04\x14\0\0\0", 8);

// The code of the refusal, or the content type taken.
std::string verdict(const std::string& name, const std::string& type, const std::string& bytes, ChatFilePolicy policy = {}) {
  const auto checked = check_chat_file({name, type, bytes}, policy);
  if (const auto* taken = std::get_if<ChatFileType>(&checked)) return std::string(taken->content_type);
  return std::string(mehfil::protocol::to_string(std::get<Problem>(checked).code));
}

}  // namespace

TEST_CASE("A file's kind is read from its first bytes") {
  const auto [bytes, kind] = GENERATE_COPY(table<std::string, FileKind>({
      {kPng, FileKind::png},
      {"\xFF\xD8\xFF\xE0", FileKind::jpeg},
      {std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), FileKind::webp},
      {"GIF89a\x01\0", FileKind::gif},
      {kPdf, FileKind::pdf},
      {kZip, FileKind::zip},
      {std::string("MZ\x90\0", 4), FileKind::program},
      {"\x7F" "ELF\x02\x01", FileKind::program},
      {std::string("\0asm\x01\0\0\0", 8), FileKind::program},
      {"#!/usr/bin/env python3\n", FileKind::program},
      {"Dear Ann,\n\tsee you at 5.\n", FileKind::text},
      {"\xEF\xBB\xBF" "caf\xC3\xA9,price\n", FileKind::text},
      {"\n  <!DOCTYPE html><p>hi", FileKind::markup},
      {"\xEF\xBB\xBF<svg/>", FileKind::markup},
      {std::string("text\0with a NUL", 15), FileKind::unknown},
      {"caf\xE9", FileKind::unknown},  // Latin-1, not UTF-8
      {"", FileKind::unknown},
  }));
  CHECK(sniff_file(bytes) == kind);
}

TEST_CASE("The chat takes a file whose name, claimed type and bytes all say the same") {
  const auto [what, name, type, bytes, expected] = GENERATE_COPY(table<std::string, std::string, std::string, std::string, std::string>({
      {"a PNG", "cat.png", "image/png", kPng, "image/png"},
      {"a claimed type in any case, with parameters", "cat.png", "Image/PNG; x=1", kPng, "image/png"},
      {"a PDF with no type claimed", "Report.PDF", "", kPdf, "application/pdf"},
      {"a Word file sent as bytes", "essay.docx", "application/octet-stream", kZip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"CSV", "prices.csv", "text/csv", "a,b\n1,2\n", "text/csv"},
      {"CSV as Windows with Excel claims it", "prices.csv", "application/vnd.ms-excel", "a,b\n1,2\n", "text/csv"},
      {"a zip as Windows claims it", "photos.zip", "application/x-zip-compressed", kZip, "application/zip"},
      {"a web page named .html, claiming to be text", "invoice.html", "text/plain", "Hi <script>alert(1)</script>", "file_type_not_allowed"},
      {"a Java program claiming to be a zip", "tool.jar", "application/zip", kZip, "file_type_not_allowed"},
      {"a PDF named .txt", "notes.txt", "application/pdf", kPdf, "file_type_mismatch"},
      {"a PDF named .pdf, claiming to be text", "notes.pdf", "text/plain", kPdf, "file_type_mismatch"},
      {"a PNG named as a PDF", "cat.pdf", "application/pdf", kPng, "file_type_mismatch"},
      {"text claiming to be a JPEG", "cat.jpg", "image/jpeg", "hello", "file_type_mismatch"},
      {"a zip named as text", "a.txt", "text/plain", kZip, "file_type_mismatch"},
      {"a program claiming to be a PDF", "x.pdf", "application/pdf", std::string("MZ\x90\0", 4), "file_type_not_allowed"},
      {"HTML claiming to be text", "x.txt", "text/plain", "<html>", "file_type_not_allowed"},
      {"HTML as HTML", "x.html", "text/html", "<html>", "file_type_not_allowed"},
      {"no type and an unknown extension", "song.mp3", "", "ID3", "file_type_not_allowed"},
      {"no type and no extension", "README", "", "hello", "file_type_not_allowed"},
      {"a name with a folder", "a/b.txt", "text/plain", "x", "bad_request"},
      {"a name with a backslash", "..\\b.txt", "text/plain", "x", "bad_request"},
      {"a name with a newline", "a\nb.txt", "text/plain", "x", "bad_request"},
      {"a name with a bidi override", "gpj.\xE2\x80\xAEtxt", "text/plain", "x", "bad_request"},
      {"the name ..", "..", "text/plain", "x", "bad_request"},
      {"a name too long", std::string(197, 'a') + ".txt", "text/plain", "x", "bad_request"},
      {"an empty file", "a.txt", "text/plain", "", "bad_request"},
  }));
  INFO(what);
  CHECK(verdict(name, type, bytes) == expected);
}

TEST_CASE("The server's groups, its size cap and the room's cap bound what the chat takes") {
  ChatFilePolicy only_pictures;
  only_pictures.allowed_groups = {"image"};
  CHECK(verdict("cat.png", "image/png", kPng, only_pictures) == "image/png");
  CHECK(verdict("a.pdf", "application/pdf", kPdf, only_pictures) == "file_type_not_allowed");
  CHECK(verdict("a.pdf", "application/pdf", kPdf, ChatFilePolicy{1000, {}, 0, 0}) == "file_type_not_allowed");

  ChatFilePolicy small{static_cast<std::int64_t>(kPdf.size()), {"pdf"}, 0, 0};
  CHECK(verdict("a.pdf", "application/pdf", kPdf, small) == "application/pdf");
  small.max_bytes -= 1;
  CHECK(verdict("a.pdf", "application/pdf", kPdf, small) == "too_large");

  ChatFilePolicy room_full{1000, {"pdf"}, 100, 100 - static_cast<std::int64_t>(kPdf.size())};
  CHECK(verdict("a.pdf", "application/pdf", kPdf, room_full) == "application/pdf");
  room_full.room_used_bytes += 1;
  CHECK(verdict("a.pdf", "application/pdf", kPdf, room_full) == "quota_exceeded");

  CHECK(is_chat_file_group("office"));
  CHECK_FALSE(is_chat_file_group("video"));
  for (const ChatFileType& type : chat_file_types()) CHECK(is_chat_file_group(type.group));
}

TEST_CASE("A picture is kept under the name of what the server made of it") {
  CHECK(served_picture_name("Holiday photo.JPG") == "Holiday photo.webp");
  CHECK(served_picture_name("cat.tar.png") == "cat.tar.webp");
  const std::string longest(199, 'a');
  CHECK(served_picture_name(longest + ".png") == longest + ".png");  // .webp would make it too long a name
}
