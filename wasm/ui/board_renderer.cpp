#include "board_renderer.h"

#include <GLES3/gl3.h>

#include <glm/gtc/type_ptr.hpp>

namespace mehfil::ui {
namespace {

constexpr const char* kVertexShader = R"(#version 300 es
layout(location = 0) in vec2 position;
layout(location = 1) in vec4 colour;
uniform mat3 world_to_clip;
out vec4 v_colour;
void main() {
  gl_Position = vec4((world_to_clip * vec3(position, 1.0)).xy, 0.0, 1.0);
  v_colour = colour.wzyx;  // 0xRRGGBBAA lies in memory as A, B, G, R on little-endian wasm
})";

constexpr const char* kFragmentShader = R"(#version 300 es
precision mediump float;
in vec4 v_colour;
out vec4 colour;
void main() { colour = v_colour; })";

unsigned compile(unsigned type, const char* source) {
  const unsigned shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  return shader;
}

}  // namespace

BoardRenderer::BoardRenderer() {
  const unsigned vs = compile(GL_VERTEX_SHADER, kVertexShader);
  const unsigned fs = compile(GL_FRAGMENT_SHADER, kFragmentShader);
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  transform_ = glGetUniformLocation(program_, "world_to_clip");
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(whiteboard::Vertex), nullptr);
  glEnableVertexAttribArray(1);
  // Colours are 0xRRGGBBAA words; the shader reverses the bytes (see kVertexShader).
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(whiteboard::Vertex),
                        reinterpret_cast<const void*>(offsetof(whiteboard::Vertex, rgba)));
  glBindVertexArray(0);
}

BoardRenderer::~BoardRenderer() {
  glDeleteBuffers(1, &vbo_);
  glDeleteVertexArrays(1, &vao_);
  glDeleteProgram(program_);
}

void BoardRenderer::draw(const std::vector<whiteboard::Vertex>& vertices, const whiteboard::Camera& camera,
                         glm::vec2 canvas_size) {
  if (vertices.empty()) return;
  glUseProgram(program_);
  const glm::mat3 transform = camera.world_to_clip(canvas_size);
  glUniformMatrix3fv(transform_, 1, GL_FALSE, glm::value_ptr(transform));
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  const auto bytes = static_cast<GLsizeiptr>(vertices.size() * sizeof(whiteboard::Vertex));
  if (vertices.capacity() != uploaded_capacity_) {  // grow the GPU buffer only when the CPU one grew
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.capacity() * sizeof(whiteboard::Vertex)), nullptr, GL_DYNAMIC_DRAW);
    uploaded_capacity_ = vertices.capacity();
  }
  glBufferSubData(GL_ARRAY_BUFFER, 0, bytes, vertices.data());
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices.size()));
  glBindVertexArray(0);
}

}  // namespace mehfil::ui
